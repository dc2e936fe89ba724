using Microsoft.Extensions.Configuration;
using Portal.Infrastructure;
using Portal.Web.Auth;

namespace Portal.IntegrationTests;

/// <summary>appsettings.sample.json documents every setting the portal reads (issue #2, item 12).</summary>
public sealed class SettingsDocumentationTests
{
    private static readonly string Root = FindRoot();

    private static IConfigurationRoot Load(string path) => new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();

    [Fact]
    public void Sample_HasEveryKeyOfTheDefaultSettings()
    {
        var defaults = Load(Path.Combine(Root, "src", "Portal.Web", "appsettings.json")).AsEnumerable().Select(kv => kv.Key).ToList();
        var sample = Load(Path.Combine(Root, "appsettings.sample.json")).AsEnumerable().Select(kv => kv.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        defaults.ShouldNotBeEmpty();
        defaults.Where(k => !sample.Contains(k)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(typeof(OidcSettings), "Oidc")]
    [InlineData(typeof(LogoutOptions), "Oidc")]
    [InlineData(typeof(Portal.Infrastructure.Mail.MailOptions), "Mail")]
    [InlineData(typeof(ExportOptions), "Exports")]
    [InlineData(typeof(PersonalDataOptions), "PersonalData")]
    [InlineData(typeof(Portal.Web.CircuitSettings), Portal.Web.CircuitSettings.Section)]
    [InlineData(typeof(AuthSettings), AuthSettings.Section)]
    [InlineData(typeof(Portal.Infrastructure.Live.LiveBackplaneOptions), "LiveBackplane")]
    [InlineData(typeof(Portal.Gateway.GatewayOptions), Portal.Gateway.GatewayOptions.Section)]
    public void Sample_DocumentsEveryPropertyOfTheBoundOptions(Type options, string section)
    {
        var sample = Load(Path.Combine(Root, "appsettings.sample.json"));
        foreach (var property in options.GetProperties())
            sample.GetSection(section).GetSection(property.Name).Exists().ShouldBeTrue($"{section}:{property.Name} is not in appsettings.sample.json");
    }

    [Fact]
    public void Sample_DocumentsThePortalSection()
    {
        var sample = Load(Path.Combine(Root, "appsettings.sample.json"));
        // DatabaseProvider and ConnectionString are read from the Database section, Mail, Exports, PersonalData and LiveBackplane from their own sections.
        foreach (var property in typeof(PortalOptions).GetProperties().Where(p => p.CanWrite && p.Name is not ("DatabaseProvider" or "ConnectionString" or "Mail" or "Exports" or "PersonalData" or "LiveBackplane")))
            sample.GetSection("Portal").GetSection(property.Name).Exists().ShouldBeTrue($"Portal:{property.Name} is not in appsettings.sample.json");
        sample["Database:Provider"].ShouldBe("Sqlite");
        sample.GetSection("Database:ConnectionString").Exists().ShouldBeTrue();
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Portal.sln not found");
    }
}

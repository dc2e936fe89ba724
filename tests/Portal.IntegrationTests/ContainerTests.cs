using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #15 ("keep doing"): every use case's handler and every job resolves from the real host's container, so a
/// handler added without its registration (or with a dependency nobody registers) fails here, not on a user's click.
/// The types are found by reflection in Portal.Application and Portal.Infrastructure, independently of how the
/// registration is written.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ContainerTests(PortalFactory factory)
{
    private static readonly Assembly[] Assemblies =
        [typeof(Portal.Application.DependencyInjection).Assembly, typeof(Portal.Infrastructure.DependencyInjection).Assembly];

    /// <summary>Every nested class named Handler and every class named *Job (not the "Job" record of a catalogue fiche).</summary>
    private static List<string> Found() =>
        [.. Assemblies.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
                && ((t.IsNested && t.Name == "Handler") || (t.Name.EndsWith("Job", StringComparison.Ordinal) && t.Name != "Job")))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)];

    public static TheoryData<string> HandlersAndJobs() => [.. Found()];

    [Fact]
    public void TheScan_FindsTheHandlersAndJobs()
    {
        var names = Found();
        // A floor, not the exact count (which grows with every use case): the scan must not silently find nothing.
        names.Count.ShouldBeGreaterThan(100);
        names.ShouldContain("Portal.Application.Features.Prescriptions.Prescribe+Handler");
        names.ShouldContain("Portal.Application.Features.Prescriptions.ExpirePreRegistrationsJob");
        names.ShouldNotContain("Portal.Application.Features.Catalogue.GetCatalogueFiche+Job");
    }

    [Theory]
    [MemberData(nameof(HandlersAndJobs))]
    public void EachHandlerAndJob_ResolvesFromTheHostContainer(string typeName)
    {
        var type = Assemblies.Select(a => a.GetType(typeName)).Single(t => t is not null)!;
        using var scope = factory.Services.CreateScope();
        var instance = scope.ServiceProvider.GetService(type);
        instance.ShouldNotBeNull($"{typeName} is not registered in the container: it is registered by AddPortalApplication's scan of nested Handler and *Job classes, check that the type follows that naming and that its dependencies are registered.");
        instance.ShouldBeOfType(type);
    }
}

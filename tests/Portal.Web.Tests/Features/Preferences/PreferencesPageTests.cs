using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Seed;
using Portal.Testing;
using Portal.Web.Features.Preferences;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Preferences;

/// <summary>S6: "Mes préférences": a prescriber turns the e-mails about their prescriptions off and on again.</summary>
public sealed class PreferencesPageTests : PortalTestContext
{
    private async Task<bool> StoredAsync()
    {
        await using var db = Database.CreateDbContext();
        var email = DemoData.Email(TestUsers.Camille);
        return await db.Users.Where(u => u.Email == email).Select(u => u.EmailNotifications).SingleAsync(Cancellation);
    }

    [Fact]
    public async Task S6_Prescriber_OptsOutOfEmails_AndBackIn()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        Render<MudBlazor.MudPopoverProvider>();
        Render<MudBlazor.MudSnackbarProvider>();
        var cut = Render<PreferencesPage>();
        cut.WaitForAssertion(() => cut.Markup.ShouldContain(DemoData.Email(TestUsers.Camille)));
        var toggle = () => cut.FindAll("input[type='checkbox']").Single();
        toggle().HasAttribute("checked").ShouldBeTrue();

        toggle().Change(false);
        cut.WaitForAssertion(() => toggle().HasAttribute("checked").ShouldBeFalse());
        (await StoredAsync()).ShouldBeFalse();

        toggle().Change(true);
        cut.WaitForAssertion(() => toggle().HasAttribute("checked").ShouldBeTrue());
        (await StoredAsync()).ShouldBeTrue();
    }
}

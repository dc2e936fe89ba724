using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Web.Components.Shared;
using Portal.Web.Tests.Infrastructure;
using Portal.Testing;

namespace Portal.Web.Tests.Components.Shared;

/// <summary>
/// Issue #15: the one helper that turns a handler's refusal into what the screen shows (an inline message, or a
/// warning snackbar), for the three refusals and nothing else. The demo database is not used: one shared for the class.
/// </summary>
public sealed class RefusalsTests(DemoDatabase shared) : PortalTestContext(shared), IClassFixture<DemoDatabase>
{
    public static TheoryData<string> RefusalKinds => ["domain", "notfound", "denied"];

    private static Exception Refusal(string kind) => kind switch
    {
        "domain" => new DomainException("Au plus trois choix par candidat (P6).", "P6"),
        "notfound" => new NotFoundException("Prescription introuvable."),
        _ => new AccessDeniedException("Cet écran est réservé à l'organisme de formation."),
    };

    [Theory]
    [MemberData(nameof(RefusalKinds))]
    public async Task RunAsync_ARefusal_GivesItsFrenchMessage(string kind)
    {
        var refusal = Refusal(kind);

        var message = await Refusals.RunAsync(() => throw refusal);

        message.ShouldBe(refusal.Message);
    }

    [Fact]
    public async Task RunAsync_WhenTheActionGoesThrough_GivesNoMessage_AndTheActionRan()
    {
        var ran = false;

        var message = await Refusals.RunAsync(() => { ran = true; return Task.CompletedTask; });

        message.ShouldBeNull();
        ran.ShouldBeTrue();
    }

    [Fact]
    public async Task RunAsync_AnyOtherException_IsNotARefusal_AndGoesOn()
    {
        await Should.ThrowAsync<InvalidOperationException>(() => Refusals.RunAsync(() => throw new InvalidOperationException("bug")));
    }

    [Theory]
    [MemberData(nameof(RefusalKinds))]
    public async Task SnackbarRunAsync_ARefusal_IsShownAsAWarning_AndReturnsFalse(string kind)
    {
        var provider = Render<MudSnackbarProvider>();
        var snackbar = Services.GetRequiredService<ISnackbar>();
        var refusal = Refusal(kind);

        var done = await provider.InvokeAsync(() => snackbar.RunAsync(() => throw refusal));

        done.ShouldBeFalse();
        provider.WaitForAssertion(() =>
        {
            var shown = provider.FindAll(".mud-snackbar");
            shown.Count.ShouldBe(1);
            shown[0].TextContent.ShouldContain(refusal.Message);
            shown[0].ClassList.ShouldContain("mud-alert-filled-warning"); // Severity.Warning, as every screen showed it
        });
    }

    [Fact]
    public async Task SnackbarRunAsync_WhenTheActionGoesThrough_ShowsNothing_AndReturnsTrue()
    {
        var provider = Render<MudSnackbarProvider>();
        var snackbar = Services.GetRequiredService<ISnackbar>();

        var done = await provider.InvokeAsync(() => snackbar.RunAsync(() => Task.CompletedTask));

        done.ShouldBeTrue();
        provider.FindAll(".mud-snackbar").ShouldBeEmpty();
    }
}

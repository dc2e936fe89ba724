using Microsoft.AspNetCore.Components.Forms;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>Gives <c>&lt;AntiforgeryToken /&gt;</c> (the logout form) a token, as the server would.</summary>
public sealed class FakeAntiforgeryStateProvider : AntiforgeryStateProvider
{
    public const string FormFieldName = "__RequestVerificationToken";
    public const string Token = "test-antiforgery-token";

    public override AntiforgeryRequestToken? GetAntiforgeryToken() => new(Token, FormFieldName);
}

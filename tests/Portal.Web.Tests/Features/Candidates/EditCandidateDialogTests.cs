using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Testing;
using Portal.Web.Features.Candidates;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Candidates;

/// <summary>"Modifier" on a candidate's page: the dialog opens filled in, a correction is saved, an emptied field is refused in French. Own database.</summary>
public sealed class EditCandidateDialogTests : PortalTestContext
{
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private IRenderedComponent<CandidatePage> _page = null!;
    private Guid _id;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        await using (var db = Database.CreateDbContext())
        {
            _id = await db.AllCandidates.Where(c => c.OrganisationId == camille.OrganisationId).OrderBy(c => c.LastName).Select(c => c.Id).FirstAsync(Cancellation);
        }
        Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
        _page = Render<CandidatePage>(p => p.Add(c => c.Id, _id));
        _page.WaitForAssertion(() => _page.FindAll("h1").ShouldNotBeEmpty());
        await _page.InvokeAsync(() => _page.FindAll("button").First(b => b.Shown() == "Modifier").Click());
        _dialogs.WaitForAssertion(() => _dialogs.FindAll("button").ShouldContain(b => b.Shown() == "Enregistrer les modifications"));
    }

    private IElement Input(string label) =>
        _dialogs.FindAll(".mud-input-control").First(c => c.QuerySelector("label")?.Shown() == label).QuerySelector("input")!;

    private Task SaveAsync() =>
        _dialogs.InvokeAsync(() => _dialogs.FindAll("button").First(b => b.Shown() == "Enregistrer les modifications").Click());

    [Fact]
    public async Task EditCandidate_OpensFilledIn_AndTheCorrectedPhoneShowsOnThePage()
    {
        await using (var db = Database.CreateDbContext())
        {
            var c = await db.AllCandidates.SingleAsync(c => c.Id == _id, Cancellation);
            Input("Prénom").GetAttribute("value").ShouldBe(c.FirstName);
            Input("Nom").GetAttribute("value").ShouldBe(c.LastName);
        }

        Input("Téléphone (facultatif)").Change("05 56 00 11 22");
        await SaveAsync();

        _page.WaitForAssertion(() => _page.Find("table").Shown().ShouldContain("05 56 00 11 22"));
        await using var check = Database.CreateDbContext();
        (await check.AllCandidates.SingleAsync(c => c.Id == _id, Cancellation)).Phone.ShouldBe("05 56 00 11 22");
    }

    [Fact]
    public async Task EditCandidate_EmptiedFirstName_IsRefusedInFrench_AndNothingIsSaved()
    {
        string before;
        await using (var db = Database.CreateDbContext()) before = (await db.AllCandidates.SingleAsync(c => c.Id == _id, Cancellation)).FirstName;

        Input("Prénom").Change("");
        await SaveAsync();

        _dialogs.WaitForAssertion(() => Text.Squash(_dialogs.Markup).ShouldContain("Le prénom est obligatoire."));
        await using var check = Database.CreateDbContext();
        (await check.AllCandidates.SingleAsync(c => c.Id == _id, Cancellation)).FirstName.ShouldBe(before);
    }
}

using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Fiches;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Offer;
using Portal.Testing;

namespace Portal.Application.Tests.Fiches;

/// <summary>
/// O2: "Fiches à valider" and "Mes fiches" are paged, ordered and counted in SQL. Each test class has its own
/// database, and each test below works on its own organisation's fiches, so the totals are exact. The demo data
/// holds one submitted fiche (Béarn Formation Pro's "Agent de restauration collective", submitted 60 days ago) and,
/// for Béarn Formation Pro, that one plus the validated "Maçon du bâti ancien".
/// </summary>
public sealed class FicheListsPagingTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);
    private readonly RecordingNotifier<FicheStatusChanged> _live = new();

    public void Dispose() => _live.Dispose();

    private async Task<Guid> DraftAsync(CurrentUser of, string title, bool submit = false)
    {
        _clock.Advance(TimeSpan.FromHours(1));
        var result = await new SaveFiche.Handler(fixture.Database, _clock, _live.Notifier).HandleAsync(FicheCommands.Complete(title: title), of, Ct);
        result.Errors.ShouldBeEmpty();
        if (submit) await new SubmitFiche.Handler(fixture.Database, _clock, _live.Notifier).HandleAsync(new SubmitFiche(result.FicheId!.Value), of, Ct);
        return result.FicheId!.Value;
    }

    [Fact]
    public async Task FichesToValidate_SevenSubmitted_PageSizeThree_ThirdPageHoldsTheNewest_TotalSeven_O2()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var reader = new GetFichesToValidate.Handler(fixture.Database);
        // The demo's submitted fiche, then F1..F6 submitted an hour apart, and one draft that is not submitted.
        var submitted = new List<Guid>();
        for (var n = 1; n <= 6; n++) submitted.Add(await DraftAsync(julie, $"Fiche soumise {n}", submit: true));
        var draft = await DraftAsync(julie, "Brouillon jamais soumis");

        var first = await reader.HandleAsync(new GetFichesToValidate(0, 3), claire, Ct);
        var second = await reader.HandleAsync(new GetFichesToValidate(3, 3), claire, Ct);
        var third = await reader.HandleAsync(new GetFichesToValidate(6, 3), claire, Ct);

        first.Rows.Select(r => r.Title).ShouldBe(["Agent de restauration collective", "Fiche soumise 1", "Fiche soumise 2"]);
        second.Rows.Select(r => r.Title).ShouldBe(["Fiche soumise 3", "Fiche soumise 4", "Fiche soumise 5"]);
        third.Rows.Select(r => r.Id).ShouldBe([submitted[5]]);
        (first.Total, second.Total, third.Total).ShouldBe((7, 7, 7));
        new[] { first, second, third }.SelectMany(p => p.Rows).ShouldNotContain(r => r.Id == draft);
        await Should.ThrowAsync<AccessDeniedException>(() => reader.HandleAsync(new GetFichesToValidate(0, 3), julie, Ct));
    }

    [Fact]
    public async Task MyFiches_SevenFiches_PageSizeThree_DraftsNewestFirst_ThenSubmitted_ThenValidated_OnlyOwn_O2()
    {
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var reader = new GetMyFiches.Handler(fixture.Database);
        // Béarn Formation Pro: the demo's submitted and validated fiches, plus drafts D1..D5 an hour apart.
        for (var n = 1; n <= 5; n++) await DraftAsync(thomas, $"Brouillon {n}");
        var othersDraft = await DraftAsync(julie, "Brouillon d'un autre organisme");

        var pages = new List<GetMyFiches.Result>();
        for (var skip = 0; skip < 9; skip += 3) pages.Add(await reader.HandleAsync(new GetMyFiches(skip, 3), thomas, Ct));

        pages[0].Rows.Select(r => r.Title).ShouldBe(["Brouillon 5", "Brouillon 4", "Brouillon 3"]);
        pages[1].Rows.Select(r => r.Title).ShouldBe(["Brouillon 2", "Brouillon 1", "Agent de restauration collective"]);
        pages[2].Rows.Select(r => r.Title).ShouldBe(["Maçon du bâti ancien"]);
        pages.ShouldAllBe(p => p.Total == 7);
        (pages[2].CountOf(FicheStatus.Draft), pages[2].CountOf(FicheStatus.Submitted), pages[2].CountOf(FicheStatus.Validated), pages[2].CountOf(FicheStatus.Returned))
            .ShouldBe((5, 1, 1, 0));
        pages.SelectMany(p => p.Rows).ShouldNotContain(r => r.Id == othersDraft);
        pages.SelectMany(p => p.Rows).ShouldNotContain(r => r.Title.StartsWith("Préparation", StringComparison.Ordinal));
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.FollowUp;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.FollowUp;

/// <summary>A7, S7: the candidate's personal link: their own prescriptions and reasons only; expiring, revocable, stored hashed.</summary>
public sealed class CandidateFollowUpTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);

    private CreateCandidateLink.Handler Create => new(fixture.Database, _clock, CandidateLinkSettings.Default);
    private GetCandidateFollowUp.Handler FollowUp => new(fixture.Database, _clock);

    /// <summary>Nadia Chevalier, Camille's candidate refused with reasons (demo data).</summary>
    private async Task<Guid> NadiaAsync()
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.AllCandidates.Where(c => c.FirstName == "Nadia" && c.LastName == "Chevalier").Select(c => c.Id).SingleAsync(Ct);
    }

    [Fact]
    public async Task FollowUp_ShowsTheCandidatesOwnPrescriptions_AndTheReasonsOfARefusal_AndNothingOfOthers_A7_S7()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var nadia = await NadiaAsync();
        var link = await Create.HandleAsync(new CreateCandidateLink(nadia), camille, Ct);

        var view = (await FollowUp.HandleAsync(new GetCandidateFollowUp(link.Token), Ct)).ShouldNotBeNull();

        view.FirstName.ShouldBe("Nadia");
        await using var db = fixture.Database.CreateDbContext();
        var own = await db.AllPrescriptions.Where(p => p.CandidateId == nadia).Select(p => p.Id).ToListAsync(Ct);
        view.Choices.Select(c => c.PrescriptionId).ShouldBe(own, ignoreOrder: true);
        var refused = view.Choices.Single(c => c.Status == PrescriptionStatus.NotSelected);
        refused.FicheTitle.ShouldBe("Préparation au titre de cariste d'entrepôt (CACES R489)");
        refused.TrainingBodyName.ShouldBe("Formapro Gironde");
        refused.NonSelectionReasons.ShouldBe(["Prérequis non atteints : Projet professionnel dans la logistique validé", "Candidat indisponible aux dates de la session"], ignoreOrder: true);
        // S7: the explanation written for the candidate, never the one written for the prescriber.
        var stored = await db.AllPrescriptions.Where(p => p.Id == refused.PrescriptionId).Select(p => new { p.CandidateExplanation, p.PrescriberExplanation }).SingleAsync(Ct);
        refused.Explanation.ShouldBe(stored.CandidateExplanation);
        refused.Explanation.ShouldNotBeNullOrWhiteSpace();
        refused.Explanation.ShouldNotBe(stored.PrescriberExplanation);
    }

    [Fact]
    public async Task FollowUp_ShowsTheMeetingACandidateIsConvokedTo_WhenWhereAndWhatToBring_A7_S3()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        await using var db = fixture.Database.CreateDbContext();
        var convoked = await db.AllPrescriptions
            .Where(p => p.PrescriberOrganisationId == camille.OrganisationId && p.Status == PrescriptionStatus.Convoked && p.ConvokedInfoSessionId != null)
            .Select(p => new { p.Id, p.CandidateId, Meeting = p.ConvokedInfoSessionId!.Value }).FirstAsync(Ct);
        var meeting = await db.InfoSessions.SingleAsync(i => i.Id == convoked.Meeting, Ct);
        var link = await Create.HandleAsync(new CreateCandidateLink(convoked.CandidateId), camille, Ct);

        var view = (await FollowUp.HandleAsync(new GetCandidateFollowUp(link.Token), Ct)).ShouldNotBeNull();

        var shown = view.Choices.Single(c => c.PrescriptionId == convoked.Id).Convocation.ShouldNotBeNull();
        (shown.StartsAt, shown.Place, shown.WhatToBring).ShouldBe((meeting.StartsAt, meeting.Place, meeting.WhatToBring));
        view.Choices.Where(c => c.Status != PrescriptionStatus.Convoked).ShouldAllBe(c => c.Convocation == null);
    }

    [Fact]
    public async Task FollowUp_AnotherCandidatesLink_NeverShowsThisCandidate_A7()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var nadia = await NadiaAsync();
        await using var db = fixture.Database.CreateDbContext();
        var other = await db.AllCandidates.Where(c => c.OrganisationId == camille.OrganisationId && c.Id != nadia && db.AllPrescriptions.Any(p => p.CandidateId == c.Id))
            .OrderBy(c => c.Id).FirstAsync(Ct);
        var nadiaPrescriptions = await db.AllPrescriptions.Where(p => p.CandidateId == nadia).Select(p => p.Id).ToListAsync(Ct);
        var link = await Create.HandleAsync(new CreateCandidateLink(other.Id), camille, Ct);

        var view = (await FollowUp.HandleAsync(new GetCandidateFollowUp(link.Token), Ct)).ShouldNotBeNull();

        view.FirstName.ShouldBe(other.FirstName);
        view.Choices.ShouldNotBeEmpty();
        view.Choices.ShouldAllBe(c => !nadiaPrescriptions.Contains(c.PrescriptionId));
        var own = await db.AllPrescriptions.Where(p => p.CandidateId == other.Id).Select(p => p.Id).ToListAsync(Ct);
        view.Choices.Select(c => c.PrescriptionId).ShouldBe(own, ignoreOrder: true);
    }

    [Fact]
    public async Task FollowUp_OpensUntilTheExpiry_AndNotAtIt_A7()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var link = await Create.HandleAsync(new CreateCandidateLink(await NadiaAsync()), camille, Ct);
        link.ExpiresAt.ShouldBe(DemoDatabase.SeededAt.AddDays(CandidateLinkSettings.DefaultDays));

        _clock.SetUtcNow(link.ExpiresAt.AddSeconds(-1));
        (await FollowUp.HandleAsync(new GetCandidateFollowUp(link.Token), Ct)).ShouldNotBeNull();

        _clock.SetUtcNow(link.ExpiresAt);
        (await FollowUp.HandleAsync(new GetCandidateFollowUp(link.Token), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task FollowUp_RevokedLink_OpensNothing_AndOtherLinksStillOpen_A7()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var nadia = await NadiaAsync();
        var revoked = await Create.HandleAsync(new CreateCandidateLink(nadia), camille, Ct);
        var kept = await Create.HandleAsync(new CreateCandidateLink(nadia), camille, Ct);

        await new RevokeCandidateLink.Handler(fixture.Database, _clock).HandleAsync(new RevokeCandidateLink(revoked.LinkId), camille, Ct);

        (await FollowUp.HandleAsync(new GetCandidateFollowUp(revoked.Token), Ct)).ShouldBeNull();
        (await FollowUp.HandleAsync(new GetCandidateFollowUp(kept.Token), Ct)).ShouldNotBeNull();
        var links = await new GetCandidateLinks.Handler(fixture.Database, _clock).HandleAsync(new GetCandidateLinks(nadia), camille, Ct);
        links.Single(l => l.Id == revoked.LinkId).IsValid.ShouldBeFalse();
        links.Single(l => l.Id == kept.LinkId).IsValid.ShouldBeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task FollowUp_UnknownToken_OpensNothing_A7(string token) =>
        (await FollowUp.HandleAsync(new GetCandidateFollowUp(token), Ct)).ShouldBeNull();

    [Fact]
    public async Task CreateLink_StoresOnlyTheHashOfTheToken_A7()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var link = await Create.HandleAsync(new CreateCandidateLink(await NadiaAsync()), camille, Ct);

        await using var db = fixture.Database.CreateDbContext();
        var stored = await db.AllCandidateLinks.AsNoTracking().SingleAsync(l => l.Id == link.LinkId, Ct);
        stored.TokenHash.ShouldNotBe(link.Token);
        stored.TokenHash.ShouldBe(Domain.Candidates.CandidateLink.Hash(link.Token));
        link.Path.ShouldBe($"/mon-suivi/{link.Token}");
    }

    [Fact]
    public async Task CreateOrRevokeLink_OutsideTheCandidatesOrganisation_IsNotFound_A7()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var lucas = await fixture.UserAsync(TestUsers.Lucas);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var nadia = await NadiaAsync();
        var link = await Create.HandleAsync(new CreateCandidateLink(nadia), camille, Ct);

        await Should.ThrowAsync<NotFoundException>(() => Create.HandleAsync(new CreateCandidateLink(nadia), lucas, Ct));
        await Should.ThrowAsync<NotFoundException>(() => new RevokeCandidateLink.Handler(fixture.Database, _clock).HandleAsync(new RevokeCandidateLink(link.LinkId), lucas, Ct));
        await Should.ThrowAsync<NotFoundException>(() => new GetCandidateLinks.Handler(fixture.Database, _clock).HandleAsync(new GetCandidateLinks(nadia), lucas, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => Create.HandleAsync(new CreateCandidateLink(nadia), julie, Ct));
        (await FollowUp.HandleAsync(new GetCandidateFollowUp(link.Token), Ct)).ShouldNotBeNull("the outsiders changed nothing");
    }
}

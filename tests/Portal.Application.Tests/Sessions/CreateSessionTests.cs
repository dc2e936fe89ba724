using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Infrastructure.Live;
using Portal.Testing;

namespace Portal.Application.Tests.Sessions;

/// <summary>O2, O4: an OF creates sessions of its validated fiches; inside the 120-day window they open at once.</summary>
public sealed class CreateSessionTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static readonly DateOnly Today = new(2026, 11, 27);
    private readonly LiveNotifier _notifier = new(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance);

    private CreateSession.Handler Handler(DateTimeOffset? now = null) =>
        new(fixture.Database, new FakeTimeProvider(now ?? OfferBuilder.NoonUtc(Today)), _notifier);

    private async Task<(CurrentUser Julie, FicheAction Fiche)> JulieWithAValidatedFicheAsync()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var fiche = OfferBuilder.ValidatedFiche(julie.OrganisationId, "Préparateur de commandes");
        await using var db = fixture.Database.CreateDbContext();
        db.FicheActions.Add(fiche);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return (julie, fiche);
    }

    private static CreateSession Command(Guid fiche, DateOnly start, int capacity = 10) =>
        new(fiche, start, start.AddDays(90), start.AddDays(-7), start.AddDays(10), capacity, "33063");

    private async Task<TrainingSession> StoredAsync(Guid id)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Create_StartingIn120Days_OpensAtOnce_O4()
    {
        var (julie, fiche) = await JulieWithAValidatedFicheAsync();
        var id = await Handler().HandleAsync(Command(fiche.Id, Today.AddDays(120)), julie, TestContext.Current.CancellationToken);
        (await StoredAsync(id)).Status.ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public async Task Create_StartingIn121Days_StaysPlanned_O4()
    {
        var (julie, fiche) = await JulieWithAValidatedFicheAsync();
        var id = await Handler().HandleAsync(Command(fiche.Id, Today.AddDays(121)), julie, TestContext.Current.CancellationToken);
        var session = await StoredAsync(id);
        session.Status.ShouldBe(SessionStatus.Planned);
        session.OpenPlaces.ShouldBe(10);
    }

    [Fact]
    public async Task Create_WithInfoSession_StoresIt_S8()
    {
        var (julie, fiche) = await JulieWithAValidatedFicheAsync();
        var at = OfferBuilder.NoonUtc(Today.AddDays(30));
        var command = Command(fiche.Id, Today.AddDays(60)) with { InfoSessions = [at], InfoSessionPlace = "Salle 2, Mérignac" };
        var id = await Handler().HandleAsync(command, julie, TestContext.Current.CancellationToken);
        await using var db = fixture.Database.CreateDbContext();
        var info = await db.InfoSessions.SingleAsync(i => i.SessionId == id, TestContext.Current.CancellationToken);
        info.StartsAt.ShouldBe(at);
        info.Place.ShouldBe("Salle 2, Mérignac");
    }

    [Fact]
    public async Task Create_OnAnotherTrainingBodysFiche_IsNotFound()
    {
        var (_, fiche) = await JulieWithAValidatedFicheAsync();
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        await Should.ThrowAsync<NotFoundException>(() => Handler().HandleAsync(Command(fiche.Id, Today.AddDays(60)), thomas, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Create_ByAPrescriber_IsRefused()
    {
        var (_, fiche) = await JulieWithAValidatedFicheAsync();
        var camille = await fixture.UserAsync(TestUsers.Camille);
        await Should.ThrowAsync<AccessDeniedException>(() => Handler().HandleAsync(Command(fiche.Id, Today.AddDays(60)), camille, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Create_OnADraftFiche_IsRefused_O2()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var draft = new FicheAction(julie.OrganisationId, "Brouillon", EntryMode.Grouped, OfferBuilder.LongAgo);
        await using (var db = fixture.Database.CreateDbContext())
        {
            db.FicheActions.Add(draft);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        var ex = await Should.ThrowAsync<DomainException>(() => Handler().HandleAsync(Command(draft.Id, Today.AddDays(60)), julie, TestContext.Current.CancellationToken));
        ex.Rule.ShouldBe("O2");
    }

    [Fact]
    public void Validate_NamesEveryMissingField_InFrench()
    {
        var errors = new CreateSession(Guid.NewGuid(), null, null, null, null, 0, " ").Validate();
        errors.Keys.ShouldBe(["Start", "End", "RegistrationDeadline", "Capacity", "PlaceCommuneInsee"], ignoreOrder: true);
        errors["Capacity"].ShouldBe("La capacité doit être d'au moins une place.");
    }

    [Fact]
    public async Task Create_WithAnUnknownCommune_IsRefused_AndNothingIsSaved()
    {
        var (julie, fiche) = await JulieWithAValidatedFicheAsync();
        var command = Command(fiche.Id, Today.AddDays(60)) with { PlaceCommuneInsee = "99999" };
        await Should.ThrowAsync<DomainException>(() => Handler().HandleAsync(command, julie, TestContext.Current.CancellationToken));
        await using var db = fixture.Database.CreateDbContext();
        (await db.Sessions.CountAsync(s => s.FicheActionId == fiche.Id, TestContext.Current.CancellationToken)).ShouldBe(0);
    }
}

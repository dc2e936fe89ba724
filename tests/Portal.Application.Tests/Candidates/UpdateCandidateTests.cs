using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Candidates;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Testing;

namespace Portal.Application.Tests.Candidates;

/// <summary>The prescriber's organisation corrects its candidates; nobody else can, and bad input changes nothing.</summary>
public sealed class UpdateCandidateTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private UpdateCandidate.Handler Handler => new(_db, new FakeTimeProvider(TestDatabase.DefaultNow.AddDays(1)));

    private async Task<(Guid Id, string Commune, DateOnly Birth)> CamillesCandidateAsync(CurrentUser camille)
    {
        await using var db = _db.CreateDbContext();
        var c = await db.AllCandidates.Where(c => c.OrganisationId == camille.OrganisationId).OrderBy(c => c.LastName).FirstAsync(Ct);
        return (c.Id, c.CommuneInsee, c.BirthDate);
    }

    [Fact]
    public async Task UpdateCandidate_ByTheOrganisationsReferent_ChangesIdentityContactAndSituation()
    {
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        var (id, _, birth) = await CamillesCandidateAsync(camille);
        var sophie = await TestUsers.ForAsync(_db, TestUsers.Sophie); // référent formation of the same Mission Locale

        await Handler.HandleAsync(new UpdateCandidate(id, new CreateCandidate("Yasmine", "Traoré", birth, "40192", "y.traore@example.fr", "06 11 22 33 44",
            "1234567A", "Niveau 4 (Bac)", Rqth: true, Qpv: false, Rural: true, ProjectRomeCode: "k2204")), sophie, Ct);

        await using var db = _db.CreateDbContext();
        var c = await db.AllCandidates.SingleAsync(c => c.Id == id, Ct);
        (c.FirstName, c.LastName, c.CommuneInsee, c.Email, c.Phone, c.FranceTravailId, c.EducationLevel, c.Rqth, c.Rural)
            .ShouldBe(("Yasmine", "Traoré", "40192", "y.traore@example.fr", "06 11 22 33 44", "1234567A", "Niveau 4 (Bac)", true, true));
        c.ProjectRomeCode.ShouldBe("K2204");
        c.LastActivityAt.ShouldBe(TestDatabase.DefaultNow.AddDays(1));
    }

    [Fact]
    public async Task UpdateCandidate_OfAnotherOrganisation_IsNotFound_AndBadInputIsRefusedInFrench_NothingChanges()
    {
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        var (id, commune, birth) = await CamillesCandidateAsync(camille);
        var lucas = await TestUsers.ForAsync(_db, TestUsers.Lucas);
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);

        await Should.ThrowAsync<NotFoundException>(() => Handler.HandleAsync(new UpdateCandidate(id, new CreateCandidate("X", "Y", birth, commune)), lucas, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => Handler.HandleAsync(new UpdateCandidate(id, new CreateCandidate("X", "Y", birth, commune)), julie, Ct));
        (await Should.ThrowAsync<DomainException>(() => Handler.HandleAsync(new UpdateCandidate(id, new CreateCandidate("", "Y", birth, commune)), camille, Ct)))
            .Message.ShouldBe("Le prénom est obligatoire.");
        (await Should.ThrowAsync<DomainException>(() => Handler.HandleAsync(new UpdateCandidate(id, new CreateCandidate("X", "Y", birth, "99999")), camille, Ct)))
            .Message.ShouldBe("La commune de résidence doit être choisie dans la liste.");
        (await Should.ThrowAsync<DomainException>(() => Handler.HandleAsync(new UpdateCandidate(id, new CreateCandidate("X", "Y", birth, commune, ProjectRomeCode: "nettoyage")), camille, Ct)))
            .Message.ShouldBe("Le métier visé doit être choisi dans la liste des métiers (ROME).");

        // Issue #15 (5): a 10,000-character first name and a 31-character phone are refused with both French messages.
        (await Should.ThrowAsync<DomainException>(() => Handler.HandleAsync(new UpdateCandidate(id, new CreateCandidate(new string('x', 10_000), "Y", birth, commune, Phone: new string('0', 31))), camille, Ct)))
            .Message.ShouldBe("Le prénom ne peut pas dépasser 100 caractères. Le téléphone ne peut pas dépasser 30 caractères.");

        await using var db = _db.CreateDbContext();
        (await db.AllCandidates.SingleAsync(c => c.Id == id, Ct)).FirstName.ShouldNotBe("X");
    }
}

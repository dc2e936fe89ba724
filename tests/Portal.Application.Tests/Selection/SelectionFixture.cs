using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Candidates;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Selection;

/// <summary>A session of Julie's of its own, with candidates of Camille's prescribed on it, and info sessions of its own.</summary>
internal static class SelectionFixture
{
    public static async Task<(Guid Session, List<Guid> Prescriptions)> SessionWithPrescriptionsAsync(DemoDatabase fixture, int count)
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var session = await OfferBuilder.AddSessionAsync(fixture.Database, julie.OrganisationId, new DateOnly(2027, 3, 1), arrange: s => s.Publish(DemoDatabase.SeededAt));
        await using var db = fixture.Database.CreateDbContext();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var c = new Candidate(camille.OrganisationId, camille.UserId, "Alix", $"Sélection{i}", new DateOnly(2000, 1, 1 + i), "33063", DemoDatabase.SeededAt);
            db.AllCandidates.Add(c);
            var p = new Prescription(c.Id, session.Id, julie.OrganisationId, camille.OrganisationId, camille.UserId, 1, PrescribeTests.Form, DemoDatabase.SeededAt);
            db.AllPrescriptions.Add(p);
            ids.Add(p.Id);
        }
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return (session.Id, ids);
    }

    public static async Task<Guid> MeetingAsync(DemoDatabase fixture, Guid sessionId, DateTimeOffset startsAt)
    {
        await using var db = fixture.Database.CreateDbContext();
        var info = new InfoSession(sessionId, InfoSessionKind.Collective, startsAt, "Formapro, 12 avenue de l'Argonne, Mérignac", "Pièce d'identité, CV");
        db.InfoSessions.Add(info);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return info.Id;
    }

    public static Task<CurrentUser> JulieAsync(DemoDatabase fixture) => fixture.UserAsync(TestUsers.Julie);
}

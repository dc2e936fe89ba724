using Portal.Application.Features.Access;
using Portal.Application.Security;
using Portal.Domain.Audit;
using Portal.Domain.Organisations;
using Portal.Testing;

namespace Portal.Application.Tests.Access;

/// <summary>
/// Issue #14 (2), ADR 0021: the access request's unique open index and the searches of users, requests and the audit log
/// behave the same on both providers (SQLite here, PostgreSQL in <see cref="AccessQueriesOnPostgreSqlTests"/>).
/// </summary>
public class AccessQueriesOnBothProvidersTests : IAsyncLifetime
{
    protected virtual Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.Sqlite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync(Provider);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ARequest_IsDecided_AndTheUsersAndAuditSearches_IgnoreTheCase_Issue14_2()
    {
        var sophie = await TestUsers.ForAsync(_db, TestUsers.Sophie);
        var admin = await TestUsers.ForAsync(_db, TestUsers.Admin);
        using var live = new RecordingNotifier<AccessRequestsChanged>();
        var identity = new PendingIdentity("sub-fournisseur-" + Provider, $"hugo.{Provider}@essai.fr".ToLowerInvariant(), "Hugo Lemaire", "Hugo", "Lemaire");
        var requestMail = new RecordingMail();
        var requestJobs = new InlineJobScheduler(_ => new AccessRequestMailJob(_db, requestMail, new Portal.Application.Features.Notifications.PortalLinks("https://portail.exemple.fr"),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AccessRequestMailJob>.Instance));
        var id = await new RequestAccess.Handler(_db, TimeProvider.System, live.Notifier, requestJobs).HandleAsync(new RequestAccess(sophie.OrganisationId, Role.Prescripteur, null), identity, Ct);
        await requestJobs.DrainAsync();
        // The deciders' query on this provider: the organisation's référent is e-mailed the request (issue #14 (2)).
        requestMail.Sent.Select(m => m.ToAddress).ShouldBe([Portal.Infrastructure.Seed.DemoData.Email(TestUsers.Sophie)]);

        (await new GetAccessRequests.Handler(_db).HandleAsync(new GetAccessRequests(), sophie, Ct)).Rows.Select(r => r.Id).ShouldBe([id]);
        var mail = new RecordingMail();
        var jobs = new InlineJobScheduler(_ => new AccessDecisionMailJob(_db, mail, Microsoft.Extensions.Logging.Abstractions.NullLogger<AccessDecisionMailJob>.Instance));
        await new DecideAccessRequest.Handler(_db, TimeProvider.System, live.Notifier, jobs).HandleAsync(new DecideAccessRequest(id, false, "Doublon"), sophie, Ct);
        await jobs.DrainAsync();
        mail.Sent.ShouldHaveSingleItem().ToAddress.ShouldBe(identity.Email);
        var again = await new RequestAccess.Handler(_db, TimeProvider.System, live.Notifier, requestJobs).HandleAsync(new RequestAccess(sophie.OrganisationId, Role.ReferentFormation, null), identity, Ct);

        again.ShouldNotBe(id);
        (await new SearchUsers.Handler(_db).HandleAsync(new SearchUsers("LEMAIRE"), admin, Ct)).Rows.Select(r => r.Name).ShouldBe(["Hugo Lemaire"]);
        var audit = await new SearchAudit.Handler(_db).HandleAsync(new SearchAudit(Actor: "SOPHIE", Action: AuditAction.AccessRefused, Target: "hugo lemaire"), admin, Ct);
        audit.Rows.Single().After.ShouldBe("Refusée : Doublon");
    }

    [Fact]
    public async Task ThePersonalDataRegister_IsScopedFilteredAndPaged_TheSameOnThisProvider_Issue14_4()
    {
        var sophie = await TestUsers.ForAsync(_db, TestUsers.Sophie);
        var karim = await TestUsers.ForAsync(_db, TestUsers.Karim);
        var admin = await TestUsers.ForAsync(_db, TestUsers.Admin);
        Guid technowestCandidate;
        await using (var db = _db.CreateDbContext())
        {
            technowestCandidate = db.AllCandidates.Where(c => c.OrganisationId == sophie.OrganisationId).OrderBy(c => c.LastName).Select(c => c.Id).First();
            // 23:30 UTC on 26 November is 00:30 on the 27th in Paris.
            db.AllPersonalDataLog.Add(new Portal.Application.Abstractions.PersonalDataLogEntry
            {
                CandidateId = technowestCandidate, OrganisationId = sophie.OrganisationId, UserId = sophie.UserId,
                Action = Portal.Application.Abstractions.PersonalDataAction.Erasure, At = new DateTimeOffset(2026, 11, 26, 23, 30, 0, TimeSpan.Zero), Detail = "Aucune prescription en cours",
            });
            await db.SaveChangesAsync(Ct);
        }
        var handler = new Portal.Application.Features.PersonalData.GetPersonalDataRegister.Handler(_db);
        var onThe27th = new Portal.Application.Features.PersonalData.GetPersonalDataRegister(
            Portal.Application.Abstractions.PersonalDataAction.Erasure, new DateOnly(2026, 11, 27), new DateOnly(2026, 11, 27), 0, 10);

        var seen = await handler.HandleAsync(onThe27th, sophie, Ct);

        (seen.Total, seen.Rows.Single().CandidateId, seen.Rows.Single().Organisation, seen.Rows.Single().By)
            .ShouldBe((1, technowestCandidate, "Mission Locale Technowest", "Sophie Bernard"));
        (await handler.HandleAsync(onThe27th, admin, Ct)).Total.ShouldBe(1);
        (await handler.HandleAsync(onThe27th, karim, Ct)).Rows.ShouldBeEmpty();
        (await handler.HandleAsync(onThe27th with { To = new DateOnly(2026, 11, 26), From = null }, admin, Ct)).Total.ShouldBe(0);
    }
}

internal sealed class RecordingMail : Portal.Application.Abstractions.IMailSender
{
    public System.Collections.Concurrent.ConcurrentQueue<Portal.Application.Abstractions.OutgoingMail> Sent { get; } = new();

    public Task SendAsync(Portal.Application.Abstractions.OutgoingMail mail, CancellationToken cancellationToken)
    {
        Sent.Enqueue(mail);
        return Task.CompletedTask;
    }
}

public sealed class AccessQueriesOnPostgreSqlTests : AccessQueriesOnBothProvidersTests
{
    protected override Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.PostgreSql;
}

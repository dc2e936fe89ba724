using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Administration;

/// <summary>
/// A1: the administrator or the Région moves a prescriber organisation's habilitation (pending → habilitated with the
/// decision's date and reference → suspended → habilitated again, or revoked), with a reason and a history line. The
/// organisation's open screens follow live (its banner, its prescribe buttons); its correspondant délégué and référents
/// are e-mailed (A2: they receive the organisation's alerts).
/// </summary>
public sealed record ChangeHabilitation(
    Guid OrganisationId, HabilitationStatus To, string? Reason, DateOnly? DecisionDate = null, string? DecisionReference = null, int Version = 0)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier, IJobScheduler jobs)
    {
        public async Task HandleAsync(ChangeHabilitation command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            OrganisationAdmin.EnsureAdminOrRegion(user, "Seuls l'administrateur et la Région décident de l'habilitation d'un prescripteur.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var organisation = await db.Organisations.FirstOrDefaultAsync(o => o.Id == command.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Organisation introuvable.");
            if (organisation.Version != command.Version) throw new DomainException(OrganisationAdmin.ConcurrentChange);
            var line = organisation.ChangeHabilitation(command.To, command.Reason, clock.GetUtcNow(), user.UserId, user.DisplayName,
                command.DecisionDate, command.DecisionReference);
            db.OrganisationHistory.Add(line);
            // Issue #14 (2): the audit log, in the same SaveChanges.
            Access.AuditTrail.Record(db, user, line.At, Domain.Audit.AuditAction.HabilitationChanged, organisation.Id, organisation.Name,
                line.From, $"{line.To} — motif : {line.Reason}");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new DomainException(OrganisationAdmin.ConcurrentChange);
            }
            await notifier.PublishAsync(new OrganisationHabilitationChanged(organisation.Id, organisation.Habilitation), cancellationToken);
            // A2: the e-mails go out in a job, not while the administrator's screen waits for the mail server.
            var (organisationId, status, reason) = (organisation.Id, organisation.Habilitation, line.Reason);
            jobs.Enqueue<HabilitationAlertJob>(job => job.RunAsync(organisationId, status, reason, CancellationToken.None));
        }
    }
}

/// <summary>
/// A2: a habilitation change's alert, e-mailed to the organisation's correspondant délégué and référents (who opted in to
/// e-mails), with the status and reason of that change. A mail that fails is logged, not retried: the change is made and
/// the organisation's screens say it live.
/// </summary>
public sealed class HabilitationAlertJob(IAppDbContextFactory dbFactory, IMailSender mail, ILogger<HabilitationAlertJob> logger)
{
    public async Task RunAsync(Guid organisationId, HabilitationStatus status, string reason, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var organisation = await db.Organisations.AsNoTracking()
            .Where(o => o.Id == organisationId).Select(o => new { o.Name, o.DelegateUserId }).FirstOrDefaultAsync(cancellationToken);
        if (organisation is null) return;
        var referent = Role.ReferentFormation;
        var recipients = await db.Users.AsNoTracking()
            .Where(u => u.IsActive && u.EmailNotifications
                && (u.Id == organisation.DelegateUserId || db.Memberships.Any(m => m.UserId == u.Id && m.OrganisationId == organisationId && m.Role == referent)))
            .Select(u => new { u.Email, u.GivenName, u.FamilyName })
            .ToListAsync(cancellationToken);
        var body = HabilitationNotice.Text(status) is { } notice
            ? $"{notice}\n\nMotif : {reason}"
            : $"L'habilitation de {organisation.Name} est rétablie : vous pouvez de nouveau prescrire.\n\nMotif : {reason}";
        foreach (var r in recipients)
        {
            try
            {
                await mail.SendAsync(new OutgoingMail(r.Email, $"{r.GivenName} {r.FamilyName}".Trim(),
                    $"Habilitation de {organisation.Name} : {status.Label()}", body), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Habilitation alert to {Email} not sent", r.Email);
            }
        }
    }
}

/// <summary>A1: what a prescriber's screens say about their organisation's habilitation (null when it may prescribe).</summary>
public static class HabilitationNotice
{
    public static string? Text(HabilitationStatus status) => status switch
    {
        HabilitationStatus.Pending => "L'habilitation de votre structure est en attente de décision : vous ne pouvez pas encore prescrire (règle A1).",
        HabilitationStatus.Suspended => "L'habilitation de votre structure est suspendue : vos candidats et vos prescriptions restent consultables, mais aucune nouvelle prescription ni aucun nouveau candidat ne peut être enregistré (règle A1).",
        HabilitationStatus.Revoked => "L'habilitation de votre structure a été retirée : vos candidats et vos prescriptions restent consultables, mais vous ne pouvez plus prescrire (règle A1).",
        _ => null,
    };

    /// <summary>The French refusal of a write that needs the habilitation.</summary>
    public static string Refusal(HabilitationStatus status) => status switch
    {
        HabilitationStatus.Pending => "Votre structure n'est pas encore habilitée à prescrire : son habilitation est en attente de décision.",
        HabilitationStatus.Suspended => "L'habilitation de votre structure est suspendue : aucune nouvelle prescription n'est possible.",
        HabilitationStatus.Revoked => "L'habilitation de votre structure a été retirée : aucune nouvelle prescription n'est possible.",
        _ => "Votre structure n'est pas habilitée à prescrire.",
    };
}

/// <summary>A prescriber's own organisation's habilitation, for the banner of their screens (A1).</summary>
public sealed record GetMyHabilitation
{
    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<HabilitationStatus?> HandleAsync(CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) return null;
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var org = await db.Organisations.AsNoTracking().Where(o => o.Id == user.OrganisationId)
                .Select(o => new { o.Kind, o.Habilitation }).FirstOrDefaultAsync(cancellationToken);
            return org is null || !org.Kind.IsPrescriber() ? null : org.Habilitation;
        }
    }
}

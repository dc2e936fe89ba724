using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Eos;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Eos;

/// <summary>
/// O1: the session's OF, or the Région, records an entry whose prescription was made outside the portal (paper, another
/// tool), with its source; the EOS coherence check (S11) then finds it. The session is named by its offer number (as EOS
/// names it) or the portal's id. An OF records on its own sessions only (another's: not found, ADR 0001).
/// </summary>
public sealed record RecordOfflineEntry(
    string SessionReference, string FirstName, string LastName, DateOnly BirthDate, string? FranceTravailId,
    OfflinePrescriptionSource Source, string SourceDetail, DateOnly EntryDate)
{
    public const string AlreadyRecorded = "Cette entrée hors portail est déjà enregistrée pour ce stagiaire sur cette session.";

    public const string PrescribedInThePortal =
        "Ce stagiaire a une prescription dans le portail sur cette session : enregistrez son entrée depuis l'écran des décisions de l'organisme de formation.";

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<Guid> HandleAsync(RecordOfflineEntry command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            OfflineEntryAccess.Require(user);
            var now = clock.GetUtcNow();
            var errors = OfflineEntry.Validate(command.FirstName, command.LastName, command.BirthDate, command.FranceTravailId,
                command.Source, command.SourceDetail, command.EntryDate, now);
            if (errors.Count > 0) throw new DomainException(string.Join(" ", errors), "O1");

            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var session = await OfflineEntryAccess.FindSessionAsync(db, user, command.SessionReference, cancellationToken);
            if (session.Status == SessionStatus.Cancelled)
                throw new DomainException("Cette session a été annulée : personne n'y est entré.", "O1");

            var key = IdentityKey(command.LastName, command.FirstName, command.BirthDate);
            var ft = string.IsNullOrWhiteSpace(command.FranceTravailId) ? null : command.FranceTravailId.Trim().ToUpperInvariant();
            var sameBirth = await db.AllOfflineEntries.Where(e => e.SessionId == session.Id && (e.BirthDate == command.BirthDate || (ft != null && e.FranceTravailId == ft)))
                .Select(e => new { e.FirstName, e.LastName, e.BirthDate, e.FranceTravailId }).ToListAsync(cancellationToken);
            if (sameBirth.Any(e => (ft != null && e.FranceTravailId == ft) || IdentityKey(e.LastName, e.FirstName, e.BirthDate) == key))
                throw new DomainException(AlreadyRecorded, "O1");
            var prescribed = await db.AllPrescriptions.Where(p => p.SessionId == session.Id)
                .Join(db.AllCandidates, p => p.CandidateId, c => c.Id, (p, c) => c)
                .Where(c => c.BirthDate == command.BirthDate || (ft != null && c.FranceTravailId == ft))
                .Select(c => new { c.FirstName, c.LastName, c.BirthDate, c.FranceTravailId }).ToListAsync(cancellationToken);
            if (prescribed.Any(c => (ft != null && c.FranceTravailId != null && c.FranceTravailId.Trim().ToUpperInvariant() == ft)
                    || IdentityKey(c.LastName, c.FirstName, c.BirthDate) == key))
                throw new DomainException(PrescribedInThePortal, "O1");

            var entry = new OfflineEntry(session.Id, session.OrganisationId, command.FirstName, command.LastName, command.BirthDate, command.FranceTravailId,
                command.Source, command.SourceDetail, command.EntryDate, user.UserId, now);
            db.AllOfflineEntries.Add(entry);
            await db.SaveChangesAsync(cancellationToken);
            return entry.Id;
        }
    }

    /// <summary>The identity EOS and the portal share: normalised names and the birth date (S11).</summary>
    internal static string IdentityKey(string lastName, string firstName, DateOnly birth) =>
        $"{TextSearch.Normalize(lastName)}|{TextSearch.Normalize(firstName)}|{birth:yyyyMMdd}";
}

/// <summary>O1: the entries of a session recorded with a prescription made outside the portal, newest first.</summary>
public sealed record GetOfflineEntries(Guid SessionId)
{
    public sealed record Row(Guid Id, string FirstName, string LastName, DateOnly BirthDate, string? FranceTravailId,
        OfflinePrescriptionSource Source, string SourceDetail, DateOnly EntryDate, DateTimeOffset RecordedAt);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<Row>> HandleAsync(GetOfflineEntries query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            OfflineEntryAccess.Require(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var session = await OfflineEntryAccess.FindSessionAsync(db, user, query.SessionId.ToString(), cancellationToken);
            return await db.AllOfflineEntries.AsNoTracking().Where(e => e.SessionId == session.Id)
                .OrderByDescending(e => e.EntryDate).ThenBy(e => e.LastName)
                .Select(e => new Row(e.Id, e.FirstName, e.LastName, e.BirthDate, e.FranceTravailId, e.Source, e.SourceDetail, e.EntryDate, e.RecordedAt))
                .ToListAsync(cancellationToken);
        }
    }
}

internal static class OfflineEntryAccess
{
    public static void Require(CurrentUser user)
    {
        if (!user.Is(Role.OrganismeFormation) && !user.Is(Role.Region) && !user.Is(Role.Admin))
            throw new AccessDeniedException("Seuls l'organisme de formation de la session et la Région enregistrent une entrée prescrite hors portail (O1).");
    }

    /// <summary>The session by offer number or id; an OF's own only (the Région's and the admin's: any).</summary>
    public static async Task<TrainingSession> FindSessionAsync(IAppDbContext db, CurrentUser user, string reference, CancellationToken cancellationToken)
    {
        var text = reference?.Trim() ?? "";
        if (text.Length == 0) throw new DomainException("Indiquez le numéro de la session.", "O1");
        var id = Guid.TryParse(text, out var g) ? g : Guid.Empty;
        var sessions = db.Sessions.AsNoTracking().Where(s => s.Id == id || s.ExternalReference == text);
        if (!user.Is(Role.Region) && !user.Is(Role.Admin)) sessions = sessions.Where(s => s.OrganisationId == user.OrganisationId);
        return await sessions.FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Aucune session « {text} » parmi celles que vous pouvez voir.");
    }
}

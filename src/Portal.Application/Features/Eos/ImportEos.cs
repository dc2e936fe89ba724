using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Eos;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Eos;

/// <summary>
/// S11: the Région imports the CSV export of entries declared in EOS (the remuneration system) and the portal
/// lists the incoherences: entries in EOS with no prescription (or with no entry recorded) in the portal, entries
/// recorded in the portal missing from EOS, different entry dates. A malformed file is refused whole, with its
/// lines, and changes nothing. Set-based: the sessions, candidates and prescriptions concerned are read once
/// for the whole file. The import and its anomalies are kept (the screen shows the last one). An entry recorded with a
/// prescription made outside the portal (O1, <see cref="RecordOfflineEntry"/>) is an entry with its prescription.
/// Sessions are matched on their offer number (the LHEO `numero` kept as <c>ExternalReference</c>, else the
/// portal's session id); candidates on their France Travail identifier, else on name and date of birth.
/// </summary>
public sealed record ImportEos(string FileName, byte[] Content)
{
    public const int MaxBytes = 5 * 1024 * 1024;

    public sealed record Result(Guid ImportId, int Lines, int Matched, int Anomalies);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<Result> HandleAsync(ImportEos command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            EosAccess.Require(user);
            if (command.Content.Length > MaxBytes)
                throw new DomainException("Le fichier dépasse 5 Mo : exportez une période plus courte depuis EOS.", "S11");
            var (entries, errors) = EosCsv.Parse(command.Content);
            if (errors.Count > 0) throw new DomainException(EosCsv.Describe(errors), "S11");

            await using var db = await dbFactory.CreateAsync(cancellationToken);

            // The sessions named by the file, by offer number (or portal id).
            var references = entries.Select(e => e.SessionNumber).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var sessionIds = references.Select(r => Guid.TryParse(r, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();
            var sessions = await db.Sessions.AsNoTracking()
                .Where(s => (s.ExternalReference != null && references.Contains(s.ExternalReference)) || sessionIds.Contains(s.Id))
                .Join(db.FicheActions, s => s.FicheActionId, f => f.Id, (s, f) => new { s.Id, s.ExternalReference, f.Title })
                .ToListAsync(cancellationToken);
            var sessionByReference = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
            foreach (var s in sessions)
            {
                if (s.ExternalReference is { } r) sessionByReference.TryAdd(r, s.Id);
                sessionByReference.TryAdd(s.Id.ToString(), s.Id);
            }
            var titles = sessions.ToDictionary(s => s.Id, s => s.Title);

            // The candidates who may be the file's people: same France Travail identifier or same birth date.
            var ftIds = entries.Where(e => e.FranceTravailId is not null).Select(e => e.FranceTravailId!).Distinct().ToList();
            var births = entries.Select(e => e.BirthDate).Distinct().ToList();
            var candidates = await db.AllCandidates.AsNoTracking()
                .Where(c => (c.FranceTravailId != null && ftIds.Contains(c.FranceTravailId)) || births.Contains(c.BirthDate))
                .Select(c => new { c.Id, c.FranceTravailId, c.FirstName, c.LastName, c.BirthDate })
                .ToListAsync(cancellationToken);
            var byFranceTravail = candidates.Where(c => c.FranceTravailId is { Length: > 0 })
                .ToLookup(c => c.FranceTravailId!.Trim().ToUpperInvariant(), c => c.Id);
            var byIdentity = candidates.ToLookup(c => IdentityKey(c.LastName, c.FirstName, c.BirthDate), c => c.Id);

            var candidateIds = candidates.Select(c => c.Id).ToList();
            var sessionKeys = sessions.Select(s => s.Id).ToList();
            var prescriptions = await db.AllPrescriptions.AsNoTracking()
                .Where(p => candidateIds.Contains(p.CandidateId) && sessionKeys.Contains(p.SessionId))
                .Select(p => new { p.Id, p.CandidateId, p.SessionId, p.Status, p.StatusChangedAt })
                .ToListAsync(cancellationToken);
            var prescriptionsOf = prescriptions.ToLookup(p => (p.CandidateId, p.SessionId));

            // O1: the entries recorded with a prescription made outside the portal (paper, another tool): those of the file's
            // sessions are entries with their prescription, the others are missing from EOS as the portal's own entries are.
            var offline = await (
                    from o in db.AllOfflineEntries.AsNoTracking()
                    join s in db.Sessions on o.SessionId equals s.Id
                    join f in db.FicheActions on s.FicheActionId equals f.Id
                    select new { o.Id, o.EntryDate, o.FirstName, o.LastName, o.FranceTravailId, o.BirthDate, s.ExternalReference, SessionId = s.Id, f.Title })
                .ToListAsync(cancellationToken);
            var offlineByFranceTravail = offline.Where(o => o.FranceTravailId is not null).ToLookup(o => (o.SessionId, o.FranceTravailId!));
            var offlineByIdentity = offline.ToLookup(o => (o.SessionId, IdentityKey(o.LastName, o.FirstName, o.BirthDate)));

            // Every entry recorded in the portal, for those EOS does not know.
            var entered = await (
                    from p in db.AllPrescriptions.AsNoTracking()
                    where p.Status == PrescriptionStatus.Entered
                    join c in db.AllCandidates on p.CandidateId equals c.Id
                    join s in db.Sessions on p.SessionId equals s.Id
                    join f in db.FicheActions on s.FicheActionId equals f.Id
                    select new { p.Id, p.StatusChangedAt, c.FirstName, c.LastName, c.FranceTravailId, c.BirthDate, s.ExternalReference, SessionId = s.Id, f.Title })
                .ToListAsync(cancellationToken);

            var import = new EosImport(user.UserId, user.DisplayName, command.FileName, entries.Count, clock.GetUtcNow());
            var found = new HashSet<Guid>();
            var foundOffline = new HashSet<Guid>();
            foreach (var e in entries)
            {
                var name = $"{e.FirstName} {e.LastName}";
                var title = sessionByReference.TryGetValue(e.SessionNumber, out var sid) ? titles[sid] : null;
                var who = e.FranceTravailId is { } ft && byFranceTravail[ft].Any()
                    ? byFranceTravail[ft].ToList()
                    : byIdentity[IdentityKey(e.LastName, e.FirstName, e.BirthDate)].ToList();
                var onSession = who.SelectMany(c => prescriptionsOf[(c, sid)]).ToList();
                var entry = onSession.Where(p => p.Status == PrescriptionStatus.Entered).OrderByDescending(p => p.StatusChangedAt).FirstOrDefault();
                if (entry is not null)
                {
                    found.Add(entry.Id);
                    var portalDay = Day(entry.StatusChangedAt);
                    if (portalDay == e.EntryDate) import.CountMatch();
                    else import.Add(new EosAnomaly(EosAnomalyKind.DateMismatch, e.Line, name, e.FranceTravailId, e.BirthDate, e.SessionNumber, title, e.EntryDate, portalDay, entry.Id));
                }
                else if ((e.FranceTravailId is { } eft && offlineByFranceTravail[(sid, eft.Trim().ToUpperInvariant())].Any()
                             ? offlineByFranceTravail[(sid, eft.Trim().ToUpperInvariant())]
                             : offlineByIdentity[(sid, IdentityKey(e.LastName, e.FirstName, e.BirthDate))]).FirstOrDefault() is { } off)
                {
                    // O1: prescribed outside the portal and recorded so: an entry with its prescription.
                    foundOffline.Add(off.Id);
                    if (off.EntryDate == e.EntryDate) import.CountMatch();
                    else import.Add(new EosAnomaly(EosAnomalyKind.DateMismatch, e.Line, name, e.FranceTravailId, e.BirthDate, e.SessionNumber, title, e.EntryDate, off.EntryDate, null));
                }
                else if (onSession.Count > 0)
                {
                    var latest = onSession.OrderByDescending(p => p.StatusChangedAt).First();
                    import.Add(new EosAnomaly(EosAnomalyKind.EntryNotRecorded, e.Line, name, e.FranceTravailId, e.BirthDate, e.SessionNumber, title, e.EntryDate, null, latest.Id));
                }
                else
                {
                    import.Add(new EosAnomaly(EosAnomalyKind.NoPrescription, e.Line, name, e.FranceTravailId, e.BirthDate, e.SessionNumber, title, e.EntryDate, null, null));
                }
            }
            foreach (var p in entered.Where(p => !found.Contains(p.Id)).OrderBy(p => p.StatusChangedAt))
            {
                import.Add(new EosAnomaly(EosAnomalyKind.MissingFromEos, null, $"{p.FirstName} {p.LastName}", p.FranceTravailId, p.BirthDate,
                    p.ExternalReference ?? p.SessionId.ToString(), p.Title, null, Day(p.StatusChangedAt), p.Id));
            }
            foreach (var o in offline.Where(o => !foundOffline.Contains(o.Id)).OrderBy(o => o.EntryDate))
            {
                import.Add(new EosAnomaly(EosAnomalyKind.MissingFromEos, null, $"{o.FirstName} {o.LastName}", o.FranceTravailId, o.BirthDate,
                    o.ExternalReference ?? o.SessionId.ToString(), o.Title, null, o.EntryDate, null));
            }
            db.AllEosImports.Add(import);
            await db.SaveChangesAsync(cancellationToken);
            return new Result(import.Id, entries.Count, import.MatchedCount, import.AnomalyCount);
        }

        private static DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(FrenchTime.ToFrance(instant).DateTime);

        private static string IdentityKey(string lastName, string firstName, DateOnly birth) => RecordOfflineEntry.IdentityKey(lastName, firstName, birth);
    }
}

/// <summary>S11 is a mission of the Région (and the administrator's).</summary>
internal static class EosAccess
{
    public static void Require(CurrentUser user)
    {
        if (!user.Is(Role.Region) && !user.Is(Role.Admin))
            throw new AccessDeniedException("Seule la Région contrôle la cohérence avec EOS.");
    }
}

using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;

namespace Portal.Application.Features.Catalogue;

/// <summary>
/// The public catalogue's search (issue #3 item 4): the validated offer (O2) and its visible sessions
/// (not planned, O4; not cancelled), by words, ROME code or job label, place and distance, dates of start
/// and entry mode; paged in SQL and sorted by the next session's start.
/// </summary>
/// <remarks>
/// Indexes used, as SQLite's EXPLAIN QUERY PLAN reports them on the demo database (Persistence/Configurations.cs):
/// <list type="bullet">
/// <item>FicheActions(Status): the validated fiches (AccessScope with no user) drive the count and the page;</item>
/// <item>Sessions(FicheActionId): the correlated "has a matching upcoming session", "next session" and "count"
/// subqueries, and the page's sessions; (Sessions(Status, Start) is the other candidate; SQLite prefers the fiche key);</item>
/// <item>Communes(Latitude, Longitude): the bounding box that prefilters the communes before the exact haversine
/// distance, then Sessions(PlaceCommuneInsee) to keep only the communes that hold an upcoming session;</item>
/// <item>Communes, Organisations and RomeCodes primary keys: names, and an exact ROME code (json_each over the fiche's
/// codes). A job label is matched with LIKE over the small ROME table (≈ 530 rows, a scan); FicheAction.SearchText
/// LIKE '%word%' cannot use an index: it runs on the validated fiches only. For a very large offer the next steps are
/// a full-text index (FTS5 / tsvector) and an index Sessions(FicheActionId, Start) to avoid the small sort of each
/// fiche's next session (both need a migration, out of this round).</item>
/// </list>
/// The page is cut in SQL (ORDER BY next start, title, id; LIMIT/OFFSET) after a COUNT of the same filter.
/// </remarks>
public sealed partial record SearchCatalogue(
    string? Words = null,
    string? Job = null,
    string? CommuneInsee = null,
    int RadiusKm = 0,
    DateOnly? StartFrom = null,
    DateOnly? StartTo = null,
    EntryMode? EntryMode = null,
    int Page = 1,
    int PageSize = SearchCatalogue.DefaultPageSize)
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 50;
    public const int MaxRadiusKm = 200;

    /// <summary>How many upcoming sessions each row shows.</summary>
    public const int SessionsPerRow = 3;

    /// <summary>The radii the search form offers, in km (0: in the commune itself).</summary>
    public static readonly IReadOnlyList<int> Radii = [0, 10, 20, 30, 50, 100];

    public sealed record Session(
        Guid SessionId, DateOnly Start, DateOnly End, DateOnly RegistrationDeadline, int OpenPlaces, int Capacity,
        SessionStatus Status, string CommuneInsee, string CommuneName, double? DistanceKm);

    public sealed record Row(
        Guid FicheId, string Title, string TrainingBodyName, EntryMode EntryMode, int Hours,
        int MatchingSessions, IReadOnlyList<Session> NextSessions);

    /// <param name="Place">The reference commune's name, when the search has one and it exists.</param>
    public sealed record Result(IReadOnlyList<Row> Rows, int Total, int Page, int PageSize, string? Place)
    {
        public int PageCount => Total == 0 ? 0 : (Total + PageSize - 1) / PageSize;
    }

    /// <summary>
    /// The sessions a catalogue shows: visible to the public (AccessScope: not planned, O4), not cancelled and not
    /// started yet (open, suspended or with registrations closed), not over.
    /// </summary>
    internal static IQueryable<TrainingSession> UpcomingSessions(IAppDbContext db, DateOnly today) =>
        db.Sessions(null).Where(s =>
            (s.Status == SessionStatus.Open || s.Status == SessionStatus.Suspended || s.Status == SessionStatus.Closed)
            && s.End >= today);

    /// <summary>A ROME v3 code (a letter and four digits) at the start of the text, e.g. "K2204 – Nettoyage".</summary>
    [GeneratedRegex(@"^\s*([A-Za-z]\d{4})\b")]
    private static partial Regex RomeCodePattern();

    internal static string? RomeCodeIn(string text) =>
        RomeCodePattern().Match(text) is { Success: true } m ? m.Groups[1].Value.ToUpperInvariant() : null;

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<Result> HandleAsync(SearchCatalogue query, CancellationToken cancellationToken = default)
        {
            var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
            var page = Math.Max(1, query.Page);
            var today = TrainingSession.Today(clock.GetUtcNow());
            await using var db = await dbFactory.CreateAsync(cancellationToken);

            var sessions = UpcomingSessions(db, today);
            // Place and distance: the communes within the radius, first by bounding box in SQL, then exactly.
            Dictionary<string, double>? distances = null;
            string? place = null;
            if (!string.IsNullOrWhiteSpace(query.CommuneInsee))
            {
                var insee = query.CommuneInsee.Trim();
                var origin = await db.Communes.AsNoTracking().Where(c => c.InseeCode == insee)
                    .Select(c => new { c.Name, c.Latitude, c.Longitude }).FirstOrDefaultAsync(cancellationToken);
                if (origin is null) return new Result([], 0, page, pageSize, null);
                place = origin.Name;
                distances = await CommunesWithinAsync(db, sessions, insee, origin.Latitude, origin.Longitude,
                    Math.Clamp(query.RadiusKm, 0, MaxRadiusKm), cancellationToken);
            }

            if (query.StartFrom is { } from) sessions = sessions.Where(s => s.Start >= from);
            if (query.StartTo is { } to) sessions = sessions.Where(s => s.Start <= to);
            if (distances is not null)
            {
                var inseeCodes = distances.Keys.ToList();
                sessions = sessions.Where(s => inseeCodes.Contains(s.PlaceCommuneInsee));
            }

            var fiches = db.FicheActions(null);
            foreach (var word in TextSearch.Normalize(query.Words).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().Take(10))
            {
                var pattern = $"%{EscapeLike(word)}%";
                fiches = fiches.Where(f => EF.Functions.Like(f.SearchText, pattern, "\\"));
            }
            if (!string.IsNullOrWhiteSpace(query.Job))
            {
                var job = query.Job.Trim();
                if (RomeCodeIn(job) is { } code)
                {
                    fiches = fiches.Where(f => f.RomeCodes.Contains(code));
                }
                else
                {
                    // A job label finds the ROME codes whose label contains it, then the fiches aiming at one of them.
                    var pattern = $"%{EscapeLike(job.ToLowerInvariant())}%";
                    var codes = db.RomeCodes.Where(r => EF.Functions.Like(r.Label.ToLower(), pattern, "\\")).Select(r => r.Code);
                    fiches = fiches.Where(f => f.RomeCodes.Any(c => codes.Contains(c)));
                }
            }
            if (query.EntryMode is { } mode) fiches = fiches.Where(f => f.EntryMode == mode);
            // The catalogue lists the offer one can join: a validated fiche with at least one matching upcoming session.
            fiches = fiches.Where(f => sessions.Any(s => s.FicheActionId == f.Id));

            var total = await fiches.CountAsync(cancellationToken);
            if (total == 0) return new Result([], 0, page, pageSize, place);

            var rows = await fiches
                .Select(f => new
                {
                    f.Id, f.Title, f.EntryMode, Hours = f.HoursInCentre + f.HoursInCompany,
                    TrainingBody = db.Organisations.Where(o => o.Id == f.OrganisationId).Select(o => o.Name).FirstOrDefault() ?? "",
                    Next = sessions.Where(s => s.FicheActionId == f.Id).OrderBy(s => s.Start).Select(s => s.Start).FirstOrDefault(),
                    Count = sessions.Count(s => s.FicheActionId == f.Id),
                })
                // The soonest next session first; then by title (a stable order for paging).
                .OrderBy(f => f.Next).ThenBy(f => f.Title).ThenBy(f => f.Id)
                .Skip((page - 1) * pageSize).Take(pageSize)
                .ToListAsync(cancellationToken);

            // The page's sessions in one query (no N+1), with their commune's name.
            var ids = rows.Select(r => r.Id).ToList();
            var pageSessions = await sessions
                .Where(s => ids.Contains(s.FicheActionId))
                .OrderBy(s => s.Start)
                .Select(s => new
                {
                    s.FicheActionId, s.Id, s.Start, s.End, s.RegistrationDeadline, s.OpenPlaces, s.Capacity, s.Status, s.PlaceCommuneInsee,
                    Commune = db.Communes.Where(c => c.InseeCode == s.PlaceCommuneInsee).Select(c => c.Name).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken);
            var byFiche = pageSessions.ToLookup(s => s.FicheActionId, s => new Session(
                s.Id, s.Start, s.End, s.RegistrationDeadline, s.OpenPlaces, s.Capacity, s.Status, s.PlaceCommuneInsee,
                s.Commune ?? s.PlaceCommuneInsee,
                distances is not null && distances.TryGetValue(s.PlaceCommuneInsee, out var km) ? Math.Round(km, 1) : null));

            return new Result(
                [.. rows.Select(r => new Row(r.Id, r.Title, r.TrainingBody, r.EntryMode, r.Hours, r.Count, [.. byFiche[r.Id].Take(SessionsPerRow)]))],
                total, page, pageSize, place);
        }

        /// <summary>
        /// The communes within <paramref name="radiusKm"/> of a point that hold an upcoming session, with their distance:
        /// a latitude/longitude box in SQL (index Communes(Latitude, Longitude), then Sessions(PlaceCommuneInsee)),
        /// then the exact great-circle distance here. Only communes with sessions come back, so the list stays short
        /// whatever the radius (it becomes an IN list of the sessions' query).
        /// </summary>
        private static async Task<Dictionary<string, double>> CommunesWithinAsync(IAppDbContext db, IQueryable<TrainingSession> sessions,
            string originInsee, double latitude, double longitude, int radiusKm, CancellationToken cancellationToken)
        {
            var result = new Dictionary<string, double>(StringComparer.Ordinal) { [originInsee] = 0 };
            if (radiusKm == 0) return result;
            var latDelta = radiusKm / Geo.KmPerDegreeOfLatitude;
            var lonDelta = radiusKm / (Geo.KmPerDegreeOfLatitude * Math.Max(0.01, Math.Cos(latitude * Math.PI / 180)));
            double minLat = latitude - latDelta, maxLat = latitude + latDelta, minLon = longitude - lonDelta, maxLon = longitude + lonDelta;
            var candidates = await db.Communes.AsNoTracking()
                .Where(c => c.Latitude >= minLat && c.Latitude <= maxLat && c.Longitude >= minLon && c.Longitude <= maxLon)
                .Where(c => sessions.Any(s => s.PlaceCommuneInsee == c.InseeCode))
                .Select(c => new { c.InseeCode, c.Latitude, c.Longitude })
                .ToListAsync(cancellationToken);
            foreach (var c in candidates)
            {
                var km = Geo.DistanceKm(latitude, longitude, c.Latitude, c.Longitude);
                if (km <= radiusKm) result[c.InseeCode] = km;
            }
            return result;
        }

        private static string EscapeLike(string text) =>
            text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
    }
}

/// <summary>Great-circle distances between communes (haversine, mean Earth radius).</summary>
public static class Geo
{
    public const double EarthRadiusKm = 6371.0088;
    public const double KmPerDegreeOfLatitude = Math.PI * EarthRadiusKm / 180;

    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double deg) => deg * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}

using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Observatory;

/// <summary>
/// Q3, the access observatory, for a period and optionally a département (of the training place): fragile publics
/// among the prescribed, selected and entered; mobility (residence → training place) by distance band and by
/// département of residence; reasons for rejection by reason, OF and action; sessions that reached their
/// deadline below capacity. Per reason, the non-selections that give it (a non-selection may give several); per OF and
/// per action, the non-selections. Aggregates only, grouped in SQL (never one row per prescription in memory); cells
/// of fewer than five people are masked (<see cref="Cell"/>).
/// </summary>
/// <remarks>
/// Every measure is about the prescriptions made in the period (Paris calendar days, both ends included).
/// "Under 26" is the age on the first day of the period. "Selected" counts every prescription that was ever
/// selected (from its history), even if the candidate withdrew afterwards.
/// </remarks>
public sealed record GetAccessObservatory(DateOnly From, DateOnly To, string? Departement = null)
{
    public sealed record PublicRow(string Public, Cell Prescriptions, Cell Selected, Cell Entered, double? ShareOfPrescriptions, double? ShareOfEntries, double? SelectionRate);

    public sealed record BandRow(string Band, Cell Prescriptions, Cell Fragile, double? FragileShare);

    public sealed record DepartementRow(string DepartementCode, string DepartementName, IReadOnlyList<Cell> ByBand, Cell Total, double? AverageKm);

    public sealed record ReasonRow(string Label, Cell Count);

    /// <summary>Q3 needs and positioning: a job of the candidates' projects against the actions positioned on it.</summary>
    public sealed record NeedRow(string RomeCode, string Label, Cell Candidates, Cell OnMatchingAction, double? MatchingShare, int OpenSessions);

    public sealed record DifficultyRow(string FicheTitle, string TrainingBody, DateOnly Deadline, int Capacity, Cell Prescriptions, Cell Filled, double? FillRate);

    public sealed record Result(
        DateOnly From, DateOnly To, string? Departement,
        IReadOnlyList<PublicRow> Publics, IReadOnlyList<BandRow> Bands, IReadOnlyList<DepartementRow> MobilityByDepartement,
        IReadOnlyList<ReasonRow> ReasonsByKind, IReadOnlyList<ReasonRow> ReasonsByTrainingBody, IReadOnlyList<ReasonRow> ReasonsByAction,
        IReadOnlyList<DifficultyRow> RecruitmentDifficulties)
    {
        /// <summary>Q3: the jobs most wanted by the prescribed candidates, and the offer positioned on them.</summary>
        public IReadOnlyList<NeedRow> Needs { get; init; } = [];

        /// <summary>When the figures were computed (they are shared for a while: <see cref="ObservatoryResults"/>).</summary>
        public DateTimeOffset ComputedAt { get; init; }
    }

    public IReadOnlyList<string> Validate() => ObservatoryScope.ValidatePeriod(From, To);

    public sealed record DepartementOption(string Code, string Name);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ObservatoryResults? results = null)
    {
        /// <summary>The départements of the reference communes, for the territory filter.</summary>
        public async Task<IReadOnlyList<DepartementOption>> DepartementsAsync(CurrentUser user, CancellationToken cancellationToken = default)
        {
            ObservatoryScope.EnsureCanRead(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            return await db.Communes.Select(c => new { c.DepartementCode, c.DepartementName }).Distinct()
                .OrderBy(d => d.DepartementCode).Select(d => new DepartementOption(d.DepartementCode, d.DepartementName))
                .ToListAsync(cancellationToken);
        }

        public async Task<Result> HandleAsync(GetAccessObservatory query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            ObservatoryScope.EnsureCanRead(user);
            if (query.Validate() is { Count: > 0 } errors) throw new DomainException(string.Join(" ", errors), "Q3");
            return await results.SharedAsync(ObservatoryResultsExtensions.Key("acces", user, query.From, query.To, query.Departement),
                ct => ComputeAsync(query, user, ct), cancellationToken);
        }

        private async Task<Result> ComputeAsync(GetAccessObservatory query, CurrentUser user, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var sessions = ObservatoryScope.Sessions(db, user);
            if (query.Departement is { Length: > 0 } dep)
                sessions = sessions.Where(s => db.Communes.Any(c => c.InseeCode == s.PlaceCommuneInsee && c.DepartementCode == dep));
            var prescriptions = InPeriod(db, query, user);

            var youngAfter = query.From.AddYears(-26);
            var (publics, bands, byDepartement) = await PublicsAndMobilityAsync(db, prescriptions, youngAfter, cancellationToken);
            var (byKind, byOf, byAction) = await ReasonsAsync(db, prescriptions, cancellationToken);
            var difficulties = await DifficultiesAsync(db, sessions, query, TrainingSession.Today(clock.GetUtcNow()), cancellationToken);
            var needs = await NeedsAsync(db, prescriptions, sessions, cancellationToken);
            return new Result(query.From, query.To, query.Departement, publics, bands, byDepartement, byKind, byOf, byAction, difficulties)
            {
                Needs = needs, ComputedAt = clock.GetUtcNow(),
            };
        }

        /// <summary>Q3, Q4: the publics table only (what the evaluation report compares between two periods), one GROUP BY.</summary>
        public async Task<IReadOnlyList<PublicRow>> PublicsAsync(GetAccessObservatory query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            ObservatoryScope.EnsureCanRead(user);
            if (query.Validate() is { Count: > 0 } errors) throw new DomainException(string.Join(" ", errors), "Q3");
            return await results.SharedAsync(ObservatoryResultsExtensions.Key("acces-publics", user, query.From, query.To, query.Departement),
                ct => ComputePublicsAsync(query, user, ct), cancellationToken);
        }

        private async Task<IReadOnlyList<PublicRow>> ComputePublicsAsync(GetAccessObservatory query, CurrentUser user, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var youngAfter = query.From.AddYears(-26);
            // Grouped by the situations (the covering index's first column: read in index order), the young counted inside.
            var groups = await InPeriod(db, query, user)
                .Select(p => new
                {
                    Situation = EF.Property<int>(p, ObservatoryFacts.Situation),
                    Young = EF.Property<DateOnly?>(p, ObservatoryFacts.BirthDate) > youngAfter ? 1 : 0,
                    Selected = EF.Property<bool>(p, ObservatoryFacts.EverSelected) ? 1 : 0,
                    Entered = p.Status == PrescriptionStatus.Entered ? 1 : 0,
                })
                .GroupBy(x => x.Situation)
                .Select(g => new
                {
                    Situation = g.Key, Count = g.Count(), Young = g.Sum(x => x.Young), Selected = g.Sum(x => x.Selected),
                    YoungSelected = g.Sum(x => x.Young * x.Selected), Entered = g.Sum(x => x.Entered), YoungEntered = g.Sum(x => x.Young * x.Entered),
                })
                .ToListAsync(cancellationToken);
            return PublicRows([.. groups.SelectMany(g => new[]
            {
                new PublicGroup(true, g.Situation, g.Young, g.YoungSelected, g.YoungEntered),
                new PublicGroup(false, g.Situation, g.Count - g.Young, g.Selected - g.YoungSelected, g.Entered - g.YoungEntered),
            })]);
        }

        /// <summary>
        /// The prescriptions made in the period, on sessions of the user's scope (the scope is the OF's, which is the
        /// session's) and, if asked, whose training place is in the département (a stored fact: no join per prescription).
        /// </summary>
        private static IQueryable<Prescription> InPeriod(IAppDbContext db, GetAccessObservatory query, CurrentUser user)
        {
            // Paris midnights as UTC instants (FrenchTime.StartOfDay): instants are stored with their offset (ADR 0003) and
            // written in UTC, so bounds in Paris time would compare their local clock readings, one or two hours off.
            var start = FrenchTime.StartOfDay(query.From);
            var end = FrenchTime.StartOfDay(query.To.AddDays(1));
            var prescriptions = ObservatoryScope.Prescriptions(db, user).Where(p => p.CreatedAt >= start && p.CreatedAt < end);
            if (query.Departement is { Length: > 0 } dep)
                prescriptions = prescriptions.Where(p => EF.Property<string?>(p, ObservatoryFacts.PlaceDepartement) == dep);
            return prescriptions;
        }

        private sealed record PublicGroup(bool Young, int Situation, int Count, int Selected, int Entered);

        /// <summary>Each public is a sum of (young, situations) groups.</summary>
        private static List<PublicRow> PublicRows(IReadOnlyList<PublicGroup> groups)
        {
            var all = (P: groups.Sum(g => g.Count), S: groups.Sum(g => g.Selected), E: groups.Sum(g => g.Entered));
            var rows = new List<PublicRow>();
            void Add(string label, Func<bool, int, bool> belongs)
            {
                var mine = groups.Where(g => belongs(g.Young, g.Situation)).ToList();
                var p = Cell.Of(mine.Sum(g => g.Count));
                var s = Cell.Of(mine.Sum(g => g.Selected));
                var e = Cell.Of(mine.Sum(g => g.Entered));
                rows.Add(new PublicRow(label, p, s, e, Cell.Share(p, Cell.Of(all.P)), Cell.Share(e, Cell.Of(all.E)), Cell.Share(s, p)));
            }
            Add("Tous les candidats", (_, _) => true);
            Add("Publics fragiles (au moins une situation)", (young, situation) => young || situation != 0);
            Add("Moins de 26 ans", (young, _) => young);
            Add("Travailleurs handicapés (RQTH)", (_, situation) => (situation & ObservatoryFacts.Rqth) != 0);
            Add("Résidents d'un quartier prioritaire (QPV)", (_, situation) => (situation & ObservatoryFacts.Qpv) != 0);
            Add("Zone rurale", (_, situation) => (situation & ObservatoryFacts.Rural) != 0);
            Add("Bénéficiaires des minima sociaux", (_, situation) => (situation & ObservatoryFacts.Minima) != 0);
            return rows;
        }

        private static async Task<(IReadOnlyList<PublicRow>, IReadOnlyList<BandRow>, IReadOnlyList<DepartementRow>)> PublicsAndMobilityAsync(
            IAppDbContext db, IQueryable<Prescription> prescriptions, DateOnly youngAfter, CancellationToken ct)
        {
            // One pass over the period for the publics and the mobility, on the stored facts: grouped by (situations,
            // département of residence, distance band) — the order of the covering index, so SQLite reads the groups in
            // index order without sorting the period's rows — with the young counted inside each group. At most
            // 16 × départements × 6 rows. The distance and its band are stored per prescription (haversine, computed by the
            // database when the prescription or its communes change); band −1: a commune unknown, in the publics only.
            var groups = await prescriptions
                .Select(p => new
                {
                    Situation = EF.Property<int>(p, ObservatoryFacts.Situation),
                    Departement = EF.Property<string?>(p, ObservatoryFacts.ResidenceDepartement),
                    Band = EF.Property<int>(p, ObservatoryFacts.JourneyBand),
                    Young = EF.Property<DateOnly?>(p, ObservatoryFacts.BirthDate) > youngAfter ? 1 : 0,
                    Km = EF.Property<double?>(p, ObservatoryFacts.JourneyKm) ?? 0,
                    Selected = EF.Property<bool>(p, ObservatoryFacts.EverSelected) ? 1 : 0,
                    Entered = p.Status == PrescriptionStatus.Entered ? 1 : 0,
                })
                .GroupBy(x => new { x.Situation, x.Departement, x.Band })
                .Select(g => new
                {
                    g.Key.Situation, g.Key.Departement, g.Key.Band, Count = g.Count(), Young = g.Sum(x => x.Young),
                    Selected = g.Sum(x => x.Selected), YoungSelected = g.Sum(x => x.Young * x.Selected),
                    Entered = g.Sum(x => x.Entered), YoungEntered = g.Sum(x => x.Young * x.Entered),
                    Km = g.Sum(x => x.Km), YoungKm = g.Sum(x => x.Young * x.Km),
                })
                .ToListAsync(ct);
            var publics = PublicRows([.. groups.SelectMany(g => new[]
                {
                    new PublicGroup(true, g.Situation, g.Young, g.YoungSelected, g.YoungEntered),
                    new PublicGroup(false, g.Situation, g.Count - g.Young, g.Selected - g.YoungSelected, g.Entered - g.YoungEntered),
                })]);

            var journeys = groups.Where(g => g.Band >= 0 && g.Departement is not null).ToList();
            var codes = journeys.Select(g => g.Departement!).Distinct().ToList();
            var names = await db.Communes.Where(c => codes.Contains(c.DepartementCode)).Select(c => new { c.DepartementCode, c.DepartementName }).Distinct()
                .ToDictionaryAsync(c => c.DepartementCode, c => c.DepartementName, ct);
            var bandCounts = new int[Distance.Bands.Count];
            var bandFragile = new int[Distance.Bands.Count];
            var perDepartement = new Dictionary<string, (int[] Bands, double Km, int Count)>();
            foreach (var g in journeys)
            {
                bandCounts[g.Band] += g.Count;
                bandFragile[g.Band] += g.Situation != 0 ? g.Count : g.Young;
                if (!perDepartement.TryGetValue(g.Departement!, out var d)) d = (new int[Distance.Bands.Count], 0, 0);
                d.Bands[g.Band] += g.Count;
                perDepartement[g.Departement!] = (d.Bands, d.Km + g.Km, d.Count + g.Count);
            }
            var bands = Distance.Bands.Select((b, i) =>
            {
                var all = Cell.Of(bandCounts[i]);
                var fragile = Cell.Of(bandFragile[i]);
                return new BandRow(b.Label, all, fragile, Cell.Share(fragile, all));
            }).ToList();
            var departements = perDepartement.OrderBy(d => d.Key, StringComparer.Ordinal)
                .Select(d => new DepartementRow(d.Key, names.GetValueOrDefault(d.Key, d.Key), [.. d.Value.Bands.Select(Cell.Of)], Cell.Of(d.Value.Count),
                    Cell.Of(d.Value.Count).Masked ? null : Math.Round(d.Value.Km / d.Value.Count, 1)))
                .ToList();
            return (publics, bands, departements);
        }

        private static async Task<(IReadOnlyList<ReasonRow>, IReadOnlyList<ReasonRow>, IReadOnlyList<ReasonRow>)> ReasonsAsync(
            IAppDbContext db, IQueryable<Prescription> prescriptions, CancellationToken ct)
        {
            var notSelected = prescriptions.Where(p => p.Status == PrescriptionStatus.NotSelected);
            // S7 reasons are structured; the set of kinds a non-selection gives is stored as bits (ReasonKinds): one GROUP BY
            // over the combinations, then per reason the non-selections that give it (a non-selection may give several).
            var combinations = await notSelected.GroupBy(p => EF.Property<int>(p, ObservatoryFacts.ReasonKinds))
                .Select(g => new { Kinds = g.Key, Count = g.Count() })
                .ToListAsync(ct);
            var byKind = Enum.GetValues<NonSelectionReasonKind>()
                .Select(kind => (Kind: kind, Count: combinations.Where(c => (c.Kinds & (1 << (int)kind)) != 0).Sum(c => c.Count)))
                .Where(k => k.Count > 0).ToList();
            // Non-selections per (OF, session), then joined to the sessions' actions: the join is per session, not per prescription.
            var perAction = await notSelected
                .GroupBy(p => new { p.TrainingBodyId, p.SessionId })
                .Select(g => new { g.Key.TrainingBodyId, g.Key.SessionId, Count = g.Count() })
                .Join(db.Sessions, g => g.SessionId, s => s.Id, (g, s) => new { g.TrainingBodyId, s.FicheActionId, g.Count })
                .GroupBy(x => new { x.TrainingBodyId, x.FicheActionId })
                .Select(g => new { g.Key.TrainingBodyId, g.Key.FicheActionId, Count = g.Sum(x => x.Count) })
                .ToListAsync(ct);
            var ofIds = perAction.Select(g => g.TrainingBodyId).Distinct().ToList();
            var ficheIds = perAction.Select(g => g.FicheActionId).Distinct().ToList();
            var ofNames = await db.Organisations.Where(o => ofIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
            var ficheTitles = await db.FicheActions.Where(f => ficheIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Title, ct);

            static List<ReasonRow> By<TKey>(IEnumerable<(TKey Key, int Count)> rows, Func<TKey, string> label) where TKey : notnull =>
                [.. rows.GroupBy(r => r.Key).Select(g => (Label: label(g.Key), Count: g.Sum(r => r.Count)))
                    .OrderByDescending(r => r.Count).ThenBy(r => r.Label, StringComparer.Ordinal)
                    .Select(r => new ReasonRow(r.Label, Cell.Of(r.Count)))];
            return (
                By(byKind, k => k.Label()),
                By(perAction.Select(g => (g.TrainingBodyId, g.Count)), id => ofNames.GetValueOrDefault(id, "?")),
                By(perAction.Select(g => (g.FicheActionId, g.Count)), id => ficheTitles.GetValueOrDefault(id, "?")));
        }

        /// <summary>How many needs (projects' jobs) the table shows, the most frequent first.</summary>
        public const int NeedsShown = 15;

        private static async Task<IReadOnlyList<NeedRow>> NeedsAsync(IAppDbContext db, IQueryable<Prescription> prescriptions, IQueryable<TrainingSession> sessions,
            CancellationToken ct)
        {
            // Per job of the candidates' projects (stored on the prescription, like whether its action is positioned on
            // that job): the candidates prescribed, and their prescriptions on a matching action. No join per prescription.
            var groups = await prescriptions
                .Where(p => EF.Property<string?>(p, ObservatoryFacts.ProjectRome) != null)
                .GroupBy(p => EF.Property<string>(p, ObservatoryFacts.ProjectRome))
                .Select(g => new
                {
                    Rome = g.Key, Candidates = g.Select(p => p.CandidateId).Distinct().Count(),
                    Matching = g.Sum(p => EF.Property<bool>(p, ObservatoryFacts.ProjectMatchesAction) ? 1 : 0),
                })
                .OrderByDescending(g => g.Candidates).ThenBy(g => g.Rome)
                .Take(NeedsShown)
                .ToListAsync(ct);
            var codes = groups.Select(g => g.Rome).ToList();
            var labels = await db.RomeCodes.Where(r => codes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Label, ct);
            var rows = new List<NeedRow>();
            foreach (var g in groups)
            {
                // The offer positioned on the job: sessions open now on a fiche whose ROME codes include it.
                var open = await sessions.CountAsync(s => s.Status == SessionStatus.Open
                    && db.FicheActions.Any(f => f.Id == s.FicheActionId && f.RomeCodes.Contains(g.Rome)), ct);
                var candidates = Cell.Of(g.Candidates);
                var matching = Cell.Of(g.Matching);
                rows.Add(new NeedRow(g.Rome, labels.GetValueOrDefault(g.Rome, ""), candidates, matching, Cell.Share(matching, candidates), open));
            }
            return rows;
        }

        private static async Task<IReadOnlyList<DifficultyRow>> DifficultiesAsync(
            IAppDbContext db, IQueryable<TrainingSession> sessions, GetAccessObservatory query, DateOnly today, CancellationToken ct)
        {
            // Sessions whose registration deadline fell in the period (and is past) with fewer selected or entered than places.
            var lastDeadline = query.To < today ? query.To : today.AddDays(-1);
            var filled = new[] { PrescriptionStatus.Selected, PrescriptionStatus.Entered };
            var rows = await sessions
                .Where(s => s.Status != SessionStatus.Cancelled && s.RegistrationDeadline >= query.From && s.RegistrationDeadline <= lastDeadline)
                .Select(s => new
                {
                    s.FicheActionId, s.OrganisationId, s.RegistrationDeadline, s.Capacity,
                    Prescriptions = db.AllPrescriptions.Count(p => p.SessionId == s.Id),
                    Filled = db.AllPrescriptions.Count(p => p.SessionId == s.Id && filled.Contains(p.Status)),
                })
                .Where(s => s.Filled < s.Capacity)
                .Join(db.FicheActions, s => s.FicheActionId, f => f.Id, (s, f) => new { s, f.Title })
                .Join(db.Organisations, x => x.s.OrganisationId, o => o.Id, (x, o) => new
                {
                    x.Title, Of = o.Name, x.s.RegistrationDeadline, x.s.Capacity, x.s.Prescriptions, x.s.Filled,
                })
                .OrderBy(x => x.RegistrationDeadline).ThenBy(x => x.Title)
                .Take(500)
                .ToListAsync(ct);
            return [.. rows.Select(r =>
            {
                var filledCell = Cell.Of(r.Filled);
                return new DifficultyRow(r.Title, r.Of, r.RegistrationDeadline, r.Capacity, Cell.Of(r.Prescriptions), filledCell,
                    filledCell.Value is { } f && r.Capacity > 0 ? Math.Round(100.0 * f / r.Capacity, 1) : null);
            })];
        }
    }
}

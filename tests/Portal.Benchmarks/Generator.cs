using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Observatory;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure;
using Portal.Infrastructure.Persistence;

namespace Portal.Benchmarks;

/// <summary>
/// Fills a fresh database with a consistent regional dataset. The schema, the reference data and the
/// demo accounts (so that the dev OIDC login works) come from the app's own <see cref="DatabaseInitializer"/>;
/// the bulk comes from prepared statements in large transactions (<see cref="TableWriter"/>), one method per
/// table. Deterministic: one seeded <see cref="Random"/>, ids derived from it.
/// </summary>
public sealed class Generator(Sizes sizes, string databasePath, TextWriter log)
{
    private const int CommitEvery = 100_000;
    private readonly Random _rng = new(20261127);

    /// <summary>The candidates' projects (Q3 needs) come from their own sequence, so that every other row stays as generated before they existed.</summary>
    private readonly Random _projects = new(20261128);
    private readonly DateTimeOffset _now = Sizes.Now;
    private readonly DateOnly _today = TrainingSession.Today(Sizes.Now);
    private long _idClock = Sizes.Now.AddYears(-2).ToUnixTimeMilliseconds();

    private SqliteConnection _connection = null!;
    private SqliteTransaction _transaction = null!;
    private long _pending;

    private readonly List<Guid> _territories = [];
    private readonly List<(Guid Id, List<Guid> Users)> _prescriberOrgs = [];
    private readonly List<Guid> _trainingBodies = [];
    private readonly Dictionary<Guid, Guid> _trainingBodyUser = [];
    private readonly List<string> _communes = [];
    private readonly Dictionary<string, (double Lat, double Lon, string Departement)> _communeFacts = [];
    private readonly Dictionary<Guid, string> _sessionPlace = [];
    private readonly Dictionary<Guid, string> _ficheRome = [];
    private readonly Dictionary<Guid, Guid> _sessionFiche = [];
    private readonly List<(string Code, string Label)> _romes = [];
    private readonly List<(Guid Id, Guid Of, EntryMode Mode)> _validatedFiches = [];
    private readonly Dictionary<SessionStatus, List<(Guid Id, Guid Of, DateOnly Start)>> _sessionsByStatus = [];

    public Dictionary<string, long> RowsByTable { get; } = [];

    public TimeSpan Elapsed { get; private set; }

    public TimeSpan MigrateElapsed { get; private set; }

    public long TotalRows => RowsByTable.Values.Sum();

    public async Task RunAsync()
    {
        foreach (var f in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
            File.Delete(f);
        var watch = Stopwatch.StartNew();
        await using (var services = BuildServices(databasePath, seedDemo: true))
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        SqliteConnection.ClearAllPools();
        MigrateElapsed = watch.Elapsed;
        log.WriteLine($"  migrated + reference/demo data in {MigrateElapsed.TotalSeconds:F1} s");

        watch.Restart();
        _connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        _connection.Open();
        // Bulk load: no rollback journal, no fsync (a crash means generating again); WAL comes back at the end.
        Exec("PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; PRAGMA temp_store=MEMORY;");
        LoadExisting();
        // The big tables' secondary indexes are dropped during the load and rebuilt after it from their own
        // definitions (sqlite_master): sorted index builds instead of random-order B-tree inserts.
        var indexes = Query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('Candidates', 'Prescriptions', 'PrescriptionTransitions')",
            r => (Name: r.GetString(0), Sql: r.GetString(1)));
        foreach (var index in indexes) Exec($"DROP INDEX \"{index.Name}\"");
        // Likewise the triggers that keep the observatory facts (ADR 0011): the rows below carry their facts, computed here.
        var triggers = Query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'TR_Obs_%'", r => (Name: r.GetString(0), Sql: r.GetString(1)));
        foreach (var trigger in triggers) Exec($"DROP TRIGGER \"{trigger.Name}\"");
        _transaction = _connection.BeginTransaction();
        Step("Organisations + Users + Memberships", Organisations);
        Step("FicheActions", Fiches);
        Step("Sessions", Sessions);
        Step("Candidates + Prescriptions + PrescriptionTransitions", CandidatesAndPrescriptions);
        _transaction.Commit();
        _transaction = null!;
        var rebuild = Stopwatch.StartNew();
        foreach (var index in indexes) Exec(index.Sql);
        foreach (var trigger in triggers) Exec(trigger.Sql);
        log.WriteLine($"  {indexes.Count} indexes rebuilt in {rebuild.Elapsed.TotalSeconds:F1} s");
        // The planner's statistics as a starting server leaves them (DatabaseInitializer): without this step the parts that
        // run without a server (jobs, handlers) planned with the statistics of the 60-row demo database.
        Exec(DatabaseInitializer.SqliteStatisticsSql);
        Exec("PRAGMA journal_mode=WAL;");
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
        Elapsed = watch.Elapsed;
    }

    /// <summary>The app's services on this database file (or on the PostgreSQL copy, issue #16), as the web app configures them (no jobs server).</summary>
    public static ServiceProvider BuildServices(string databasePath, bool seedDemo, TimeProvider? clock = null, Action<IServiceCollection>? configure = null, string? postgreSql = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(clock ?? new FakeTimeProvider(Sizes.Now));
        var options = new PortalOptions
        {
            DataDirectory = Path.GetDirectoryName(Path.GetFullPath(databasePath))!,
            DatabaseProvider = postgreSql is null ? "Sqlite" : "PostgreSql",
            ConnectionString = postgreSql ?? $"Data Source={databasePath};Default Timeout=30",
            SeedDemoData = seedDemo,
            JobsEnabled = false,
        };
        Portal.Application.DependencyInjection.AddPortalApplication(services);
        services.AddPortalInfrastructure(options, Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private void Step(string name, Action action)
    {
        var watch = Stopwatch.StartNew();
        var before = TotalRows;
        action();
        log.WriteLine($"  {name}: {TotalRows - before:N0} rows in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private void Exec(string sql)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read()) list.Add(read(reader));
        return list;
    }

    private void LoadExisting()
    {
        _territories.AddRange(Query("SELECT Id FROM Territories ORDER BY Code", r => Guid.Parse(r.GetString(0))));
        _communes.AddRange(Query("SELECT InseeCode FROM Communes ORDER BY InseeCode", r => r.GetString(0)));
        foreach (var (code, lat, lon, dep) in Query("SELECT InseeCode, Latitude, Longitude, DepartementCode FROM Communes", r => (r.GetString(0), r.GetDouble(1), r.GetDouble(2), r.GetString(3))))
            _communeFacts[code] = (lat, lon, dep);
        _romes.AddRange(Query("SELECT Code, Label FROM RomeCodes ORDER BY Code", r => (r.GetString(0), r.GetString(1))));
        var prescriberKinds = string.Join(',', new[] { OrganisationKind.MissionLocale, OrganisationKind.FranceTravail, OrganisationKind.CapEmploi }.Select(k => (int)k));
        foreach (var org in Query($"SELECT Id FROM Organisations WHERE Kind IN ({prescriberKinds}) ORDER BY Name", r => Guid.Parse(r.GetString(0))))
        {
            var users = Query($"SELECT UserId FROM Memberships WHERE OrganisationId = '{Store.Value(org)}' AND Role IN (1, 2) ORDER BY UserId", r => Guid.Parse(r.GetString(0)));
            _prescriberOrgs.Add((org, users));
        }
        foreach (var of in Query($"SELECT Id FROM Organisations WHERE Kind = {(int)OrganisationKind.TrainingBody} ORDER BY Name", r => Guid.Parse(r.GetString(0))))
        {
            _trainingBodies.Add(of);
            _trainingBodyUser[of] = Query($"SELECT UserId FROM Memberships WHERE OrganisationId = '{Store.Value(of)}' ORDER BY UserId", r => Guid.Parse(r.GetString(0))).FirstOrDefault();
        }
    }

    /// <summary>Deterministic time-ordered (version 7 layout) ids, like the domain's Guid.CreateVersion7.</summary>
    private Guid NewId()
    {
        var ms = ++_idClock;
        Span<byte> tail = stackalloc byte[8];
        _rng.NextBytes(tail);
        tail[0] = (byte)(0x80 | (tail[0] & 0x3F));
        return new Guid((int)(ms >> 16), (short)(ms & 0xFFFF), (short)(0x7000 | _rng.Next(0x1000)), tail.ToArray());
    }

    private void Inserted(TableWriter writer)
    {
        writer.Insert();
        if (++_pending % CommitEvery == 0)
        {
            _transaction.Commit();
            _transaction = _connection.BeginTransaction();
            // A prepared command stays bound to its transaction's connection: re-bind.
            foreach (var w in _writers) w.Rebind(_transaction);
        }
    }

    private readonly List<TableWriter> _writers = [];

    private TableWriter Writer(string table)
    {
        var writer = new TableWriter(_connection, _transaction, table);
        _writers.Add(writer);
        return writer;
    }

    private void Done(params TableWriter[] writers)
    {
        foreach (var w in writers)
        {
            RowsByTable[w.Table] = RowsByTable.GetValueOrDefault(w.Table) + w.Rows;
            _writers.Remove(w);
            w.Dispose();
        }
    }

    private static readonly string[] GivenNames = ["Camille", "Lucas", "Inès", "Hugo", "Léa", "Nora", "Karim", "Julie", "Thomas", "Marie", "Yanis", "Chloé", "Mathis", "Emma", "Noah", "Jade", "Louis", "Lina", "Adam", "Manon", "Gabriel", "Sarah", "Nathan", "Zoé"];
    private static readonly string[] FamilyNames = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Etcheverry", "Larrieu", "Darrigrand", "Lasserre", "Haddad", "Benali"];

    private string Pick(string[] values) => values[_rng.Next(values.Length)];

    private void Organisations()
    {
        using var orgs = Writer("Organisations");
        using var users = Writer("Users");
        using var memberships = Writer("Memberships");
        Guid User(Guid org, Role role, string email)
        {
            var id = NewId();
            users.Set("Id", id).Set("Email", email).Set("GivenName", Pick(GivenNames)).Set("FamilyName", Pick(FamilyNames))
                .Set("IsActive", true).Set("EmailNotifications", true);
            Inserted(users);
            memberships.Set("Id", NewId()).Set("UserId", id).Set("OrganisationId", org).Set("Role", role);
            Inserted(memberships);
            return id;
        }
        OrganisationKind[] kinds = [OrganisationKind.MissionLocale, OrganisationKind.FranceTravail, OrganisationKind.CapEmploi];
        // The demo organisations count in the sizes; every prescriber organisation gets prescribers and a référent.
        for (var i = 0; i < _prescriberOrgs.Count; i++)
        {
            var (id, list) = _prescriberOrgs[i];
            for (var u = 0; u < 2; u++) list.Add(User(id, Role.Prescripteur, $"prescripteur{u}.demo{i}@bench.portail-formation.fr"));
        }
        for (var i = _prescriberOrgs.Count; i < sizes.PrescriberOrganisations; i++)
        {
            var id = NewId();
            var kind = kinds[i % kinds.Length];
            orgs.Set("Id", id).Set("Name", $"{kind.Label()} n° {i:D3}").Set("Kind", kind).Set("TerritoryId", _territories[i % _territories.Count])
                .Set("Siret", $"4{i:D13}").Set("Habilitation", HabilitationStatus.Habilitated).Set("Address", $"{i} rue de la Formation");
            Inserted(orgs);
            var list = new List<Guid>();
            for (var u = 0; u < 4; u++) list.Add(User(id, Role.Prescripteur, $"prescripteur{u}.org{i}@bench.portail-formation.fr"));
            list.Add(User(id, Role.ReferentFormation, $"referent.org{i}@bench.portail-formation.fr"));
            _prescriberOrgs.Add((id, list));
        }
        for (var i = _trainingBodies.Count; i < sizes.TrainingBodies; i++)
        {
            var id = NewId();
            orgs.Set("Id", id).Set("Name", $"Organisme de formation n° {i:D3}").Set("Kind", OrganisationKind.TrainingBody)
                .Set("TerritoryId", _territories[i % _territories.Count]).Set("Siret", $"5{i:D13}").Set("Habilitation", HabilitationStatus.Pending)
                .Set("Address", $"{i} avenue des Métiers");
            Inserted(orgs);
            _trainingBodies.Add(id);
            _trainingBodyUser[id] = User(id, Role.OrganismeFormation, $"of.{i}@bench.portail-formation.fr");
        }
        Done(orgs, users, memberships);
    }

    private static string Json(IEnumerable<string> values) =>
        System.Text.Json.JsonSerializer.Serialize(values);

    private void Fiches()
    {
        using var fiches = Writer("FicheActions");
        for (var i = 0; i < sizes.Fiches; i++)
        {
            var id = NewId();
            var of = _trainingBodies[i % _trainingBodies.Count];
            var rome = _romes[_rng.Next(_romes.Count)];
            var mode = _rng.Next(3) == 0 ? EntryMode.Permanent : EntryMode.Grouped;
            var status = (i % 20) switch { 0 => FicheStatus.Draft, 1 => FicheStatus.Submitted, 2 => FicheStatus.Returned, _ => FicheStatus.Validated };
            var title = $"{(i % 2 == 0 ? "Formation qualifiante" : "Préparation au titre professionnel")} : {rome.Label}";
            var objectives = $"Acquérir les compétences du métier ({rome.Label}) et accéder à l'emploi.";
            var content = "Modules techniques, sécurité, période en entreprise, accompagnement à la recherche d'emploi.";
            var created = _now.AddDays(-_rng.Next(200, 900));
            fiches.Set("Id", id).Set("OrganisationId", of).Set("Title", title).Set("Objectives", objectives).Set("Content", content)
                .Set("Prerequisites", "Savoirs de base ; projet professionnel validé.").Set("AdmissionConditions", "Entretien et tests de positionnement.")
                .Set("SelectionModalities", "Information collective puis entretien individuel.")
                .Set("SelectionCriteria", Json(["Projet validé", "Savoirs de base"])).Set("RomeCodes", Json([rome.Code]))
                .Set("ExpectedResults", "Titre professionnel ou certification.").Set("TargetPublic", "Demandeurs d'emploi.")
                .Set("Accessibility", "Locaux accessibles ; adaptation possible.").Set("ContactName", Pick(FamilyNames))
                .Set("ContactEmail", $"contact{i}@of.bench.portail-formation.fr").Set("ContactPhone", "05 56 00 00 00")
                .Set("TrainingPlaces", Json([_communes[_rng.Next(_communes.Count)]]))
                .Set("SearchText", TextSearch.Normalize(string.Join(' ', title, objectives, content, rome.Code)))
                .Set("UpdatedAt", created.AddDays(10)).Set("EntryMode", mode).Set("HoursInCentre", 200 + _rng.Next(600))
                .Set("HoursInCompany", _rng.Next(300)).Set("Status", status).Set("Version", 1).Set("CreatedAt", created)
                .Set("SubmittedAt", status == FicheStatus.Draft ? null : created.AddDays(5))
                .Set("ValidatedAt", status == FicheStatus.Validated ? created.AddDays(10) : null)
                .Set("RegionComment", status == FicheStatus.Returned ? "Préciser les prérequis." : null);
            Inserted(fiches);
            if (status == FicheStatus.Validated) _validatedFiches.Add((id, of, mode));
            _ficheRome[id] = rome.Code;
        }
        Done(fiches);
    }

    private void Sessions()
    {
        using var sessions = Writer("Sessions");
        foreach (var s in Enum.GetValues<SessionStatus>()) _sessionsByStatus[s] = [];
        for (var i = 0; i < sizes.Sessions; i++)
        {
            var fiche = _validatedFiches[i % _validatedFiches.Count];
            // Every state, laid out around "now" so that the jobs find nothing to do on the data as generated.
            var roll = _rng.Next(100);
            var (status, start) = roll switch
            {
                < 22 => (SessionStatus.Finished, _today.AddDays(-_rng.Next(200, 600))),
                < 35 => (SessionStatus.Running, _today.AddDays(-_rng.Next(5, 100))),
                < 67 => (SessionStatus.Open, _today.AddDays(_rng.Next(15, 120))),
                < 70 => (SessionStatus.Suspended, _today.AddDays(_rng.Next(15, 120))),
                < 78 => (SessionStatus.Closed, _today.AddDays(_rng.Next(1, 40))),
                < 95 => (SessionStatus.Planned, _today.AddDays(_rng.Next(121, 360))),
                _ => (SessionStatus.Cancelled, _today.AddDays(_rng.Next(-200, 200))),
            };
            var end = start.AddDays(_rng.Next(60, 300));
            var deadline = status == SessionStatus.Closed ? _today.AddDays(-_rng.Next(1, 10)) : start.AddDays(-_rng.Next(0, 14));
            if (status is SessionStatus.Open or SessionStatus.Suspended && deadline < _today) deadline = _today;
            var capacity = 8 + _rng.Next(13);
            var id = NewId();
            sessions.Set("Id", id).Set("FicheActionId", fiche.Id).Set("OrganisationId", fiche.Of).Set("EntryMode", fiche.Mode)
                .Set("Start", start).Set("End", end).Set("RegistrationDeadline", deadline)
                .Set("LateEntryDate", fiche.Mode == EntryMode.Grouped ? start.AddDays(_rng.Next(0, 21)) : null)
                .Set("Capacity", capacity).Set("OpenPlaces", status is SessionStatus.Open ? _rng.Next(capacity + 1) : 0)
                .Set("PlaceCommuneInsee", _sessionPlace[id] = _communes[_rng.Next(_communes.Count)]).Set("ExternalReference", $"BENCH-SE-{i:D6}")
                .Set("CancellationReason", status == SessionStatus.Cancelled ? "Effectif insuffisant" : null)
                .Set("Status", status).Set("Version", 1);
            Inserted(sessions);
            _sessionsByStatus[status].Add((id, fiche.Of, start));
            _sessionFiche[id] = fiche.Id;
        }
        Done(sessions);
    }

    private static readonly PrescriptionStatus[][] ActivePaths =
    [
        [PrescriptionStatus.Submitted],
        [PrescriptionStatus.Submitted, PrescriptionStatus.Convoked],
        [PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.Attended],
        [PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.AbsentJustified],
        [PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.AbsentUnjustified],
        [PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.Attended, PrescriptionStatus.Waitlisted],
        [PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.Attended, PrescriptionStatus.Selected],
    ];

    private static readonly PrescriptionStatus[][] FinalPaths =
    [
        [PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.Attended, PrescriptionStatus.Selected, PrescriptionStatus.Entered],
        [PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.Attended, PrescriptionStatus.NotSelected],
        [PrescriptionStatus.Submitted, PrescriptionStatus.Cancelled],
        [PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.Withdrawn],
        [PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.Expired],
    ];

    private (Guid Id, Guid Of, DateOnly Start) PickSession(params SessionStatus[] statuses)
    {
        while (true)
        {
            var list = _sessionsByStatus[statuses[_rng.Next(statuses.Length)]];
            if (list.Count > 0) return list[_rng.Next(list.Count)];
            if (statuses.All(s => _sessionsByStatus[s].Count == 0)) throw new InvalidOperationException("No session to prescribe on.");
        }
    }

    private void CandidatesAndPrescriptions()
    {
        using var candidates = Writer("Candidates");
        using var prescriptions = Writer("Prescriptions");
        using var transitions = Writer("PrescriptionTransitions");
        var perCandidate = sizes.Prescriptions / sizes.Candidates;
        var extra = sizes.Prescriptions % sizes.Candidates;
        var token = new byte[32];
        var stamps = new DateTimeOffset[8];
        for (var c = 0; c < sizes.Candidates; c++)
        {
            var (org, users) = _prescriberOrgs[c % _prescriberOrgs.Count];
            var referent = users[_rng.Next(users.Count)];
            var candidateId = NewId();
            var created = _now.AddDays(-_rng.Next(30, 700));
            _rng.NextBytes(token);
            // The random draws in their historical order (the same rows as before the observatory facts existed).
            var (firstName, lastName) = (Pick(GivenNames), Pick(FamilyNames));
            var birth = new DateOnly(1965, 1, 1).AddDays(_rng.Next(14000));
            var commune = _communes[_rng.Next(_communes.Count)];
            var franceTravailId = _rng.Next(2) == 0 ? $"{c:D7}X" : null;
            var educationLevel = _rng.Next(2) == 0 ? "3" : "4";
            var (rqth, qpv, rural, minima) = (_rng.Next(10) == 0, _rng.Next(6) == 0, _rng.Next(4) == 0, _rng.Next(5) == 0);
            // Three candidates in five have a project; half of those on one of the twenty most offered jobs (realistic skew).
            var project = _projects.Next(5) >= 3 ? null : _projects.Next(2) == 0 ? _romes[_projects.Next(Math.Min(20, _romes.Count))].Code : _romes[_projects.Next(_romes.Count)].Code;
            var situation = (rqth ? ObservatoryFacts.Rqth : 0) | (qpv ? ObservatoryFacts.Qpv : 0) | (rural ? ObservatoryFacts.Rural : 0) | (minima ? ObservatoryFacts.Minima : 0);
            candidates.Set("Id", candidateId).Set("OrganisationId", org).Set("ReferentUserId", referent)
                .Set("FirstName", firstName).Set("LastName", lastName)
                .Set("BirthDate", birth).Set("Email", $"candidat{c}@exemple.fr")
                .Set("Phone", $"06{c:D8}").Set("CommuneInsee", commune)
                .Set("FranceTravailId", franceTravailId).Set("EducationLevel", educationLevel)
                .Set("Rqth", rqth).Set("Qpv", qpv).Set("Rural", rural)
                .Set("MinimumSocialBenefits", minima).Set("ProjectRomeCode", project).Set("CreatedAt", created).Set("LastActivityAt", created.AddDays(20))
                .Set("IsPseudonymised", false).Set("ChoicesVersion", 1).Set("AccessToken", Convert.ToHexString(token));
            Inserted(candidates);

            var count = perCandidate + (c < extra ? 1 : 0);
            // P6: at most three active choices, ranked 1..3; the others are histories that ended.
            var active = Math.Min(Math.Min(3, count), _rng.Next(4));
            for (var p = 0; p < count; p++)
            {
                var isActive = p < active;
                var path = isActive ? ActivePaths[_rng.Next(ActivePaths.Length)] : FinalPaths[_rng.Next(FinalPaths.Length)];
                var session = isActive
                    ? PickSession(SessionStatus.Open, SessionStatus.Open, SessionStatus.Open, SessionStatus.Suspended, SessionStatus.Closed)
                    : PickSession(SessionStatus.Finished, SessionStatus.Running, SessionStatus.Open, SessionStatus.Cancelled);
                if (!isActive && _sessionsByStatus[SessionStatus.Cancelled].Contains(session))
                    path = [PrescriptionStatus.Submitted, PrescriptionStatus.SessionCancelled];
                var id = NewId();
                // Active choices are recent (so that no job finds them due on the data as generated: O5, O6).
                var at = isActive ? _now.AddDays(-_rng.Next(5, 60)) : created.AddDays(_rng.Next(1, 20));
                var prescriber = users[_rng.Next(users.Count)];
                DateTimeOffset? convokedAt = null, firstDecisionAt = null;
                for (var step = 0; step < path.Length; step++)
                {
                    stamps[step] = at < _now ? at : _now;
                    if (path[step] == PrescriptionStatus.Convoked) convokedAt = stamps[step];
                    if (firstDecisionAt is null && PrescriptionLifecycle.Decisions.Contains(path[step])) firstDecisionAt = stamps[step];
                    at = at.AddDays(_rng.Next(1, 10));
                }
                var status = path[^1];
                var notSelected = status == PrescriptionStatus.NotSelected;
                prescriptions.Set("Id", id).Set("CandidateId", candidateId).Set("SessionId", session.Id).Set("TrainingBodyId", session.Of)
                    .Set("PrescriberOrganisationId", org).Set("PrescriberUserId", prescriber).Set("Rank", isActive ? p + 1 : 1 + _rng.Next(3))
                    .Set("PriorPath", "CAP obtenu, expériences en intérim.").Set("ProjectValidation", "Projet validé par une immersion.")
                    .Set("CandidateAgreement", true).Set("MaterialConditions", "Permis B, véhicule.").Set("Feasibility", "Garde d'enfants organisée.")
                    .Set("RqthDeclared", _rng.Next(10) == 0).Set("Motivations", "Reconversion souhaitée.").Set("Barriers", "")
                    .Set("CriteriaReviewed", true).Set("Status", status).Set("CreatedAt", stamps[0]).Set("StatusChangedAt", stamps[path.Length - 1])
                    .Set("ConvokedAt", convokedAt)
                    .Set("DecisionReasons", notSelected ? "Prérequis non remplis : Savoirs de base" : null)
                    .Set("NonSelectionReasons", notSelected ? NotSelectedJson : "[]");
                // The observatory facts the triggers would compute (ADR 0011): same haversine, same definitions.
                var (home, place) = (_communeFacts.GetValueOrDefault(commune), _communeFacts.GetValueOrDefault(_sessionPlace[session.Id]));
                double? km = home.Departement is null || place.Departement is null ? null : Distance.Kilometres(home.Lat, home.Lon, place.Lat, place.Lon);
                prescriptions.Set(ObservatoryFacts.Situation, situation).Set(ObservatoryFacts.BirthDate, birth)
                    .Set(ObservatoryFacts.ResidenceDepartement, home.Departement).Set(ObservatoryFacts.PlaceDepartement, place.Departement)
                    .Set(ObservatoryFacts.JourneyKm, km).Set(ObservatoryFacts.JourneyBand, km is { } d ? Distance.BandOf(d) : -1)
                    .Set(ObservatoryFacts.EverSelected, path.Contains(PrescriptionStatus.Selected)).Set(ObservatoryFacts.FirstDecisionAt, firstDecisionAt)
                    .Set(ObservatoryFacts.FormComplete, true).Set(ObservatoryFacts.Explained, false)
                    .Set(ObservatoryFacts.ReasonKinds, notSelected ? 1 << (int)NonSelectionReasonKind.PrerequisitesNotMet : 0)
                    .Set(ObservatoryFacts.ProjectRome, project).Set(ObservatoryFacts.ProjectMatchesAction, project is not null && _ficheRome[_sessionFiche[session.Id]] == project);
                Inserted(prescriptions);
                PrescriptionStatus? from = null;
                for (var step = 0; step < path.Length; step++)
                {
                    var to = path[step];
                    transitions.Set("PrescriptionId", id).Set("ByUserId", to is PrescriptionStatus.Submitted or PrescriptionStatus.Cancelled ? prescriber
                            : to is PrescriptionStatus.Expired ? null : _trainingBodyUser.GetValueOrDefault(session.Of))
                        .Set("At", stamps[step]).Set("From", from).Set("To", to).Set("Reason", Reason(to));
                    Inserted(transitions);
                    from = to;
                }
            }
        }
        Done(candidates, prescriptions, transitions);
    }

    /// <summary>The JSON EF writes for the owned collection NonSelectionReasons (enum as its number).</summary>
    private static readonly string NotSelectedJson =
        $"[{{\"Code\":\"{NonSelectionReasonEntry.SeedCode(NonSelectionReasonKind.PrerequisitesNotMet)}\",\"Detail\":\"Savoirs de base\",\"Kind\":{(int)NonSelectionReasonKind.PrerequisitesNotMet}}}]";

    private static string? Reason(PrescriptionStatus to) => to switch
    {
        PrescriptionStatus.Submitted => "Prescription créée",
        PrescriptionStatus.Convoked => "Convocation envoyée",
        PrescriptionStatus.NotSelected => "Prérequis non remplis : Savoirs de base",
        PrescriptionStatus.Entered => "Entrée en formation",
        PrescriptionStatus.Cancelled => "Le candidat a trouvé un emploi",
        PrescriptionStatus.Withdrawn => "Désistement du candidat",
        PrescriptionStatus.Expired => "Préinscription expirée (règle O5)",
        PrescriptionStatus.SessionCancelled => "Session annulée par l'organisme de formation",
        _ => null,
    };
}

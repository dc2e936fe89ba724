using Microsoft.EntityFrameworkCore;
using Portal.Application.Features.Observatory;
using Portal.Domain.Prescriptions;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// The SQLite triggers that keep the observatory facts of each prescription (<see cref="ObservatoryFacts"/>, ADR 0011)
/// equal to their sources, and the set-based backfill of rows written before the triggers existed. Kept here rather
/// than in a migration so that it survives migrations being folded or a table being rebuilt: at start-up, if a
/// trigger is missing, all of them are (re)created and every row is recomputed, in one transaction.
/// </summary>
public static class ObservatoryFactsSql
{
    /// <summary>Bump when a fact's definition changes: the triggers are renamed, so they are recreated and every row is recomputed.</summary>
    private const string Version = "v5";

    public static readonly string[] TriggerNames =
        [$"TR_Obs_{Version}_PrescriptionInserted", $"TR_Obs_{Version}_PrescriptionChanged", $"TR_Obs_{Version}_CandidateChanged",
         $"TR_Obs_{Version}_SessionPlaceChanged", $"TR_Obs_{Version}_DecisionRecorded", $"TR_Obs_{Version}_ActionJobsChanged",
         $"TR_Obs_{Version}_CommuneChanged", $"TR_Obs_{Version}_CommuneAdded"];

    /// <summary>An instant column's UTC value in 100 µs units (ADR 0003: ((local ticks / 1000) &lt;&lt; 11) | offset minutes).</summary>
    private static string Utc(string column) =>
        $"(({column} >> 11) - (CASE WHEN ({column} & 2047) >= 1024 THEN ({column} & 2047) - 2048 ELSE {column} & 2047 END) * 600000)";

    private static string Filled(string column) => $"trim(coalesce({column}, ''), ' ' || char(9, 10, 13)) <> ''";

    /// <summary>The haversine distance of the journey (row <c>Prescriptions</c> being updated), as <see cref="Distance.Kilometres"/>.</summary>
    private const string Km = """
        (SELECT 2 * 6371.0088 * asin(min(1, sqrt(
                power(sin(radians(t.Latitude - f.Latitude) / 2), 2)
                + cos(radians(f.Latitude)) * cos(radians(t.Latitude)) * power(sin(radians(t.Longitude - f.Longitude) / 2), 2))))
            FROM Candidates c JOIN Communes f ON f.InseeCode = c.CommuneInsee, Sessions s JOIN Communes t ON t.InseeCode = s.PlaceCommuneInsee
            WHERE c.Id = Prescriptions.CandidateId AND s.Id = Prescriptions.SessionId)
        """;

    /// <summary>
    /// <see cref="Distance.BandOf"/> in SQL, from the stored distance (a second statement after the one that sets it:
    /// an UPDATE's expressions read the row as it was).
    /// </summary>
    private static readonly string BandFromKm = $"{ObservatoryFacts.JourneyBand} = CASE WHEN {ObservatoryFacts.JourneyKm} IS NULL THEN -1 "
        + string.Join(" ", Distance.Bands.Select((b, i) => double.IsPositiveInfinity(b.UpTo) ? $"ELSE {i}"
            : $"WHEN {ObservatoryFacts.JourneyKm} < {b.UpTo.ToString(System.Globalization.CultureInfo.InvariantCulture)} THEN {i}")) + " END";

    /// <summary>
    /// The facts read from the candidate and the session (row <c>Prescriptions</c> being updated). A pseudonymised
    /// candidate's birth date fact is kept as it was (ADR 0025): the candidate row keeps only the year, while "under 26 on
    /// the first day of the period" needs the day, so the observatories' figures stay exact.
    /// </summary>
    private static readonly string CandidateAndPlaceFacts = $"""
        {ObservatoryFacts.Situation} = coalesce((SELECT (c.Rqth <> 0) * {ObservatoryFacts.Rqth} + (c.Qpv <> 0) * {ObservatoryFacts.Qpv}
            + (c.Rural <> 0) * {ObservatoryFacts.Rural} + (c.MinimumSocialBenefits <> 0) * {ObservatoryFacts.Minima}
            FROM Candidates c WHERE c.Id = Prescriptions.CandidateId), 0),
        {ObservatoryFacts.BirthDate} = (SELECT CASE WHEN c.IsPseudonymised <> 0 THEN Prescriptions.{ObservatoryFacts.BirthDate} ELSE c.BirthDate END
            FROM Candidates c WHERE c.Id = Prescriptions.CandidateId),
        {ObservatoryFacts.ResidenceDepartement} = (SELECT m.DepartementCode FROM Candidates c JOIN Communes m ON m.InseeCode = c.CommuneInsee
            WHERE c.Id = Prescriptions.CandidateId),
        {ObservatoryFacts.PlaceDepartement} = (SELECT m.DepartementCode FROM Sessions s JOIN Communes m ON m.InseeCode = s.PlaceCommuneInsee
            WHERE s.Id = Prescriptions.SessionId),
        {ObservatoryFacts.JourneyKm} = {Km},
        {ObservatoryFacts.ProjectRome} = (SELECT c.ProjectRomeCode FROM Candidates c WHERE c.Id = Prescriptions.CandidateId),
        {ObservatoryFacts.ProjectMatchesAction} = EXISTS (SELECT 1 FROM Candidates c, Sessions s JOIN FicheActions f ON f.Id = s.FicheActionId, json_each(f.RomeCodes) r
            WHERE c.Id = Prescriptions.CandidateId AND s.Id = Prescriptions.SessionId AND r.value = c.ProjectRomeCode)
        """;

    /// <summary>The facts read from the prescription's own columns.</summary>
    private static readonly string OwnFacts = $"""
        {ObservatoryFacts.FormComplete} = CASE WHEN {Filled("PriorPath")} AND {Filled("ProjectValidation")} AND CandidateAgreement
            AND {Filled("MaterialConditions")} AND {Filled("Feasibility")} AND RqthDeclared IS NOT NULL THEN 1 ELSE 0 END,
        {ObservatoryFacts.Explained} = CASE WHEN coalesce(json_array_length(NonSelectionReasons), 0) > 0 AND {Filled("CandidateExplanation")}
            AND {Filled("PrescriberExplanation")} THEN 1 ELSE 0 END,
        {ObservatoryFacts.ReasonKinds} = coalesce((SELECT sum(DISTINCT 1 << json_extract(r.value, '$.Kind')) FROM json_each(coalesce(NonSelectionReasons, '[]')) r), 0)
        """;

    private static readonly string Decisions = string.Join(", ", PrescriptionLifecycle.Decisions.Select(d => (int)d));

    /// <summary>The facts read from the history (backfill only; afterwards the transition trigger keeps them).</summary>
    private static readonly string HistoryFacts = $"""
        {ObservatoryFacts.EverSelected} = EXISTS (SELECT 1 FROM PrescriptionTransitions t WHERE t.PrescriptionId = Prescriptions.Id AND +t."To" = {(int)PrescriptionStatus.Selected}),
        {ObservatoryFacts.FirstDecisionAt} = (SELECT t.At FROM PrescriptionTransitions t WHERE t.PrescriptionId = Prescriptions.Id AND +t."To" IN ({Decisions})
            ORDER BY {Utc("t.At")} LIMIT 1)
        """;

    private static string Triggers() => $"""
        CREATE TRIGGER {TriggerNames[0]} AFTER INSERT ON Prescriptions BEGIN
          UPDATE Prescriptions SET {CandidateAndPlaceFacts}, {OwnFacts} WHERE Id = NEW.Id;
          UPDATE Prescriptions SET {BandFromKm} WHERE Id = NEW.Id;
        END;
        CREATE TRIGGER {TriggerNames[1]} AFTER UPDATE OF PriorPath, ProjectValidation, CandidateAgreement, MaterialConditions, Feasibility, RqthDeclared,
          NonSelectionReasons, CandidateExplanation, PrescriberExplanation ON Prescriptions BEGIN
          UPDATE Prescriptions SET {OwnFacts} WHERE Id = NEW.Id;
        END;
        CREATE TRIGGER {TriggerNames[2]} AFTER UPDATE OF BirthDate, Rqth, Qpv, Rural, MinimumSocialBenefits, CommuneInsee, ProjectRomeCode ON Candidates BEGIN
          UPDATE Prescriptions SET {CandidateAndPlaceFacts} WHERE CandidateId = NEW.Id;
          UPDATE Prescriptions SET {BandFromKm} WHERE CandidateId = NEW.Id;
        END;
        CREATE TRIGGER {TriggerNames[3]} AFTER UPDATE OF PlaceCommuneInsee ON Sessions BEGIN
          UPDATE Prescriptions SET {CandidateAndPlaceFacts} WHERE SessionId = NEW.Id;
          UPDATE Prescriptions SET {BandFromKm} WHERE SessionId = NEW.Id;
        END;
        CREATE TRIGGER {TriggerNames[4]} AFTER INSERT ON PrescriptionTransitions WHEN NEW."To" IN ({Decisions}) BEGIN
          UPDATE Prescriptions SET
            {ObservatoryFacts.EverSelected} = CASE WHEN NEW."To" = {(int)PrescriptionStatus.Selected} THEN 1 ELSE {ObservatoryFacts.EverSelected} END,
            {ObservatoryFacts.FirstDecisionAt} = CASE WHEN {ObservatoryFacts.FirstDecisionAt} IS NULL
              OR {Utc("NEW.At")} < {Utc(ObservatoryFacts.FirstDecisionAt)} THEN NEW.At ELSE {ObservatoryFacts.FirstDecisionAt} END
          WHERE Id = NEW.PrescriptionId;
        END;
        CREATE TRIGGER {TriggerNames[5]} AFTER UPDATE OF RomeCodes ON FicheActions BEGIN
          UPDATE Prescriptions SET {CandidateAndPlaceFacts} WHERE SessionId IN (SELECT s.Id FROM Sessions s WHERE s.FicheActionId = NEW.Id);
          UPDATE Prescriptions SET {BandFromKm} WHERE SessionId IN (SELECT s.Id FROM Sessions s WHERE s.FicheActionId = NEW.Id);
        END;
        CREATE TRIGGER {TriggerNames[6]} AFTER UPDATE OF DepartementCode, Latitude, Longitude ON Communes BEGIN
          UPDATE Prescriptions SET {CandidateAndPlaceFacts} WHERE CandidateId IN (SELECT c.Id FROM Candidates c WHERE c.CommuneInsee = NEW.InseeCode);
          UPDATE Prescriptions SET {BandFromKm} WHERE CandidateId IN (SELECT c.Id FROM Candidates c WHERE c.CommuneInsee = NEW.InseeCode);
          UPDATE Prescriptions SET {CandidateAndPlaceFacts} WHERE SessionId IN (SELECT s.Id FROM Sessions s WHERE s.PlaceCommuneInsee = NEW.InseeCode);
          UPDATE Prescriptions SET {BandFromKm} WHERE SessionId IN (SELECT s.Id FROM Sessions s WHERE s.PlaceCommuneInsee = NEW.InseeCode);
        END;
        CREATE TRIGGER {TriggerNames[7]} AFTER INSERT ON Communes BEGIN
          UPDATE Prescriptions SET {CandidateAndPlaceFacts} WHERE SessionId IN (SELECT s.Id FROM Sessions s WHERE s.PlaceCommuneInsee = NEW.InseeCode);
          UPDATE Prescriptions SET {BandFromKm} WHERE SessionId IN (SELECT s.Id FROM Sessions s WHERE s.PlaceCommuneInsee = NEW.InseeCode);
        END;
        """;

    /// <summary>The set-based backfill: every prescription's facts recomputed from their sources, in one statement.</summary>
    public static string Backfill() => $"UPDATE Prescriptions SET {CandidateAndPlaceFacts}, {OwnFacts}, {HistoryFacts}; UPDATE Prescriptions SET {BandFromKm};";

    /// <summary>
    /// At start-up (after the migrations): if any trigger of this version is missing, drops the observatory triggers of
    /// every version, creates this version's and backfills every row, in one transaction. Returns whether it did.
    /// </summary>
    public static async Task<bool> EnsureAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql()) return await ObservatoryFactsPostgreSql.EnsureAsync(db, cancellationToken);
        if (!db.Database.IsSqlite()) return false;
        var present = await db.Database.SqlQueryRaw<string>(
            "SELECT name AS Value FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'TR_Obs_%'").ToListAsync(cancellationToken);
        if (TriggerNames.All(present.Contains)) return false;
        // The facts use SQLite's math functions (haversine): fail at start-up, not on the first prescription, if they are missing.
        await db.Database.ExecuteSqlRawAsync("SELECT asin(sin(radians(1.0)))", cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The names come from sqlite_master and match TR_Obs_% (not user input).
        foreach (var drop in present.Select(name => "DROP TRIGGER \"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))
            await db.Database.ExecuteSqlRawAsync(drop, cancellationToken);
        await db.Database.ExecuteSqlRawAsync(Triggers(), cancellationToken);
        // The indexes over the facts are dropped during the backfill and rebuilt after it from their own definitions: one
        // sorted build each instead of a random-order B-tree update per row (minutes at a million prescriptions).
        var indexes = await db.Database.SqlQueryRaw<string>(
            "SELECT sql AS Value FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Prescriptions' AND (name LIKE 'IX_Prescriptions_%Observatory' OR name = 'IX_Prescriptions_CreatedAt')")
            .ToListAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("""
            DROP INDEX IF EXISTS IX_Prescriptions_CreatedAt; DROP INDEX IF EXISTS IX_Prescriptions_AccessObservatory; DROP INDEX IF EXISTS IX_Prescriptions_QualityObservatory;
            DROP INDEX IF EXISTS IX_Prescriptions_ReasonsObservatory; DROP INDEX IF EXISTS IX_Prescriptions_NeedsObservatory;
            """, cancellationToken);
        // A larger page cache for the one pass over every prescription (its candidate, session and history looked up per row).
        await db.Database.ExecuteSqlRawAsync(SqliteDialectQueries.LargePageCacheSql, cancellationToken);
        await db.Database.ExecuteSqlRawAsync(Backfill(), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(SqliteDialectQueries.DefaultPageCacheSql, cancellationToken);
        foreach (var index in indexes)
            await db.Database.ExecuteSqlRawAsync(index, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}

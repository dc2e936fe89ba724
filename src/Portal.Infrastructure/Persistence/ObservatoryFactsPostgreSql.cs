using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Features.Observatory;
using Portal.Domain.Prescriptions;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// ADR 0011's observatory facts in PostgreSQL's dialect (ADR 0021): the same facts as <see cref="ObservatoryFactsSql"/>'s
/// SQLite triggers, kept by plpgsql trigger functions on the same events, and the same set-based backfill. Identifiers
/// are quoted (EF keeps their case), booleans are booleans, instants are timestamptz, the action's ROME codes are a
/// text[] and the reasons jsonb. Applied at start-up by <see cref="ObservatoryFactsSql.EnsureAsync"/>, under an advisory
/// lock so that several portal servers starting together create them once.
/// </summary>
public static class ObservatoryFactsPostgreSql
{
    // v6 (issue #16, benchmark on PostgreSQL): ProjectMatchesAction reads the candidate's ROME code and the action's codes
    // by their keys. v5's EXISTS over "Candidates, Sessions JOIN FicheActions" was planned as a scan of every candidate
    // inside the candidate trigger: 2 s per pseudonymised candidate at 30,000 candidates, and the retention job timed out.
    private const string Version = "v6";

    /// <summary>An arbitrary constant key of the advisory lock taken while the triggers are (re)created.</summary>
    private const long LockKey = 0x0B5_FAC75;

    public static readonly string[] TriggerNames =
        [$"TR_Obs_{Version}_PrescriptionInserted", $"TR_Obs_{Version}_PrescriptionChanged", $"TR_Obs_{Version}_CandidateChanged",
         $"TR_Obs_{Version}_SessionPlaceChanged", $"TR_Obs_{Version}_DecisionRecorded", $"TR_Obs_{Version}_ActionJobsChanged",
         $"TR_Obs_{Version}_CommuneChanged", $"TR_Obs_{Version}_CommuneAdded"];

    private static string Q(string identifier) => "\"" + identifier + "\"";

    private static string Filled(string column) => $"btrim(coalesce(p.{Q(column)}, ''), E' \\t\\n\\r') <> ''";

    private const string Km = """
        (SELECT 2 * 6371.0088 * asin(least(1, sqrt(
                power(sin(radians(t."Latitude" - f."Latitude") / 2), 2)
                + cos(radians(f."Latitude")) * cos(radians(t."Latitude")) * power(sin(radians(t."Longitude" - f."Longitude") / 2), 2))))
            FROM "Candidates" c JOIN "Communes" f ON f."InseeCode" = c."CommuneInsee", "Sessions" s JOIN "Communes" t ON t."InseeCode" = s."PlaceCommuneInsee"
            WHERE c."Id" = p."CandidateId" AND s."Id" = p."SessionId")
        """;

    private static readonly string BandFromKm = $"{Q(ObservatoryFacts.JourneyBand)} = CASE WHEN p.{Q(ObservatoryFacts.JourneyKm)} IS NULL THEN -1 "
        + string.Join(" ", Distance.Bands.Select((b, i) => double.IsPositiveInfinity(b.UpTo) ? $"ELSE {i}"
            : $"WHEN p.{Q(ObservatoryFacts.JourneyKm)} < {b.UpTo.ToString(CultureInfo.InvariantCulture)} THEN {i}")) + " END";

    private static readonly string CandidateAndPlaceFacts = $"""
        {Q(ObservatoryFacts.Situation)} = coalesce((SELECT c."Rqth"::int * {ObservatoryFacts.Rqth} + c."Qpv"::int * {ObservatoryFacts.Qpv}
            + c."Rural"::int * {ObservatoryFacts.Rural} + c."MinimumSocialBenefits"::int * {ObservatoryFacts.Minima}
            FROM "Candidates" c WHERE c."Id" = p."CandidateId"), 0),
        {Q(ObservatoryFacts.BirthDate)} = (SELECT CASE WHEN c."IsPseudonymised" THEN p.{Q(ObservatoryFacts.BirthDate)} ELSE c."BirthDate" END
            FROM "Candidates" c WHERE c."Id" = p."CandidateId"),
        {Q(ObservatoryFacts.ResidenceDepartement)} = (SELECT m."DepartementCode" FROM "Candidates" c JOIN "Communes" m ON m."InseeCode" = c."CommuneInsee"
            WHERE c."Id" = p."CandidateId"),
        {Q(ObservatoryFacts.PlaceDepartement)} = (SELECT m."DepartementCode" FROM "Sessions" s JOIN "Communes" m ON m."InseeCode" = s."PlaceCommuneInsee"
            WHERE s."Id" = p."SessionId"),
        {Q(ObservatoryFacts.JourneyKm)} = {Km},
        {Q(ObservatoryFacts.ProjectRome)} = (SELECT c."ProjectRomeCode" FROM "Candidates" c WHERE c."Id" = p."CandidateId"),
        {Q(ObservatoryFacts.ProjectMatchesAction)} = coalesce((SELECT c."ProjectRomeCode" FROM "Candidates" c WHERE c."Id" = p."CandidateId")
            = ANY ((SELECT f."RomeCodes" FROM "Sessions" s JOIN "FicheActions" f ON f."Id" = s."FicheActionId" WHERE s."Id" = p."SessionId")::text[]), false)
        """;

    private static readonly string OwnFacts = $"""
        {Q(ObservatoryFacts.FormComplete)} = ({Filled("PriorPath")} AND {Filled("ProjectValidation")} AND p."CandidateAgreement"
            AND {Filled("MaterialConditions")} AND {Filled("Feasibility")} AND p."RqthDeclared" IS NOT NULL),
        {Q(ObservatoryFacts.Explained)} = (coalesce(CASE WHEN jsonb_typeof(p."NonSelectionReasons") = 'array' THEN jsonb_array_length(p."NonSelectionReasons") END, 0) > 0
            AND {Filled("CandidateExplanation")} AND {Filled("PrescriberExplanation")}),
        {Q(ObservatoryFacts.ReasonKinds)} = coalesce((SELECT bit_or(1 << (r ->> 'Kind')::int) FROM jsonb_array_elements(
            CASE WHEN jsonb_typeof(p."NonSelectionReasons") = 'array' THEN p."NonSelectionReasons" ELSE '[]'::jsonb END) r), 0)
        """;

    private static readonly string Decisions = string.Join(", ", PrescriptionLifecycle.Decisions.Select(d => (int)d));

    private static readonly string HistoryFacts = $"""
        {Q(ObservatoryFacts.EverSelected)} = EXISTS (SELECT 1 FROM "PrescriptionTransitions" t WHERE t."PrescriptionId" = p."Id" AND t."To" = {(int)PrescriptionStatus.Selected}),
        {Q(ObservatoryFacts.FirstDecisionAt)} = (SELECT min(t."At") FROM "PrescriptionTransitions" t WHERE t."PrescriptionId" = p."Id" AND t."To" IN ({Decisions}))
        """;

    private static string Function(string trigger, string body) => $"""
        CREATE OR REPLACE FUNCTION "{trigger}_fn"() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
        {body}
          RETURN NULL;
        END
        $fn$;
        """;

    private static string Triggers() => string.Join("\n", [
        Function(TriggerNames[0], $"""
              UPDATE "Prescriptions" AS p SET {CandidateAndPlaceFacts}, {OwnFacts} WHERE p."Id" = NEW."Id";
              UPDATE "Prescriptions" AS p SET {BandFromKm} WHERE p."Id" = NEW."Id";
            """),
        $"""CREATE TRIGGER "{TriggerNames[0]}" AFTER INSERT ON "Prescriptions" FOR EACH ROW EXECUTE FUNCTION "{TriggerNames[0]}_fn"();""",
        Function(TriggerNames[1], $"""  UPDATE "Prescriptions" AS p SET {OwnFacts} WHERE p."Id" = NEW."Id";"""),
        $"""
        CREATE TRIGGER "{TriggerNames[1]}" AFTER UPDATE OF "PriorPath", "ProjectValidation", "CandidateAgreement", "MaterialConditions", "Feasibility",
          "RqthDeclared", "NonSelectionReasons", "CandidateExplanation", "PrescriberExplanation" ON "Prescriptions" FOR EACH ROW EXECUTE FUNCTION "{TriggerNames[1]}_fn"();
        """,
        Function(TriggerNames[2], $"""
              UPDATE "Prescriptions" AS p SET {CandidateAndPlaceFacts} WHERE p."CandidateId" = NEW."Id";
              UPDATE "Prescriptions" AS p SET {BandFromKm} WHERE p."CandidateId" = NEW."Id";
            """),
        $"""
        CREATE TRIGGER "{TriggerNames[2]}" AFTER UPDATE OF "BirthDate", "Rqth", "Qpv", "Rural", "MinimumSocialBenefits", "CommuneInsee", "ProjectRomeCode"
          ON "Candidates" FOR EACH ROW EXECUTE FUNCTION "{TriggerNames[2]}_fn"();
        """,
        Function(TriggerNames[3], $"""
              UPDATE "Prescriptions" AS p SET {CandidateAndPlaceFacts} WHERE p."SessionId" = NEW."Id";
              UPDATE "Prescriptions" AS p SET {BandFromKm} WHERE p."SessionId" = NEW."Id";
            """),
        $"""CREATE TRIGGER "{TriggerNames[3]}" AFTER UPDATE OF "PlaceCommuneInsee" ON "Sessions" FOR EACH ROW EXECUTE FUNCTION "{TriggerNames[3]}_fn"();""",
        Function(TriggerNames[4], $"""
              UPDATE "Prescriptions" AS p SET
                {Q(ObservatoryFacts.EverSelected)} = (p.{Q(ObservatoryFacts.EverSelected)} OR NEW."To" = {(int)PrescriptionStatus.Selected}),
                {Q(ObservatoryFacts.FirstDecisionAt)} = CASE WHEN p.{Q(ObservatoryFacts.FirstDecisionAt)} IS NULL OR NEW."At" < p.{Q(ObservatoryFacts.FirstDecisionAt)}
                  THEN NEW."At" ELSE p.{Q(ObservatoryFacts.FirstDecisionAt)} END
              WHERE p."Id" = NEW."PrescriptionId";
            """),
        $"""
        CREATE TRIGGER "{TriggerNames[4]}" AFTER INSERT ON "PrescriptionTransitions" FOR EACH ROW WHEN (NEW."To" IN ({Decisions}))
          EXECUTE FUNCTION "{TriggerNames[4]}_fn"();
        """,
        Function(TriggerNames[5], $"""
              UPDATE "Prescriptions" AS p SET {CandidateAndPlaceFacts} WHERE p."SessionId" IN (SELECT s."Id" FROM "Sessions" s WHERE s."FicheActionId" = NEW."Id");
              UPDATE "Prescriptions" AS p SET {BandFromKm} WHERE p."SessionId" IN (SELECT s."Id" FROM "Sessions" s WHERE s."FicheActionId" = NEW."Id");
            """),
        $"""CREATE TRIGGER "{TriggerNames[5]}" AFTER UPDATE OF "RomeCodes" ON "FicheActions" FOR EACH ROW EXECUTE FUNCTION "{TriggerNames[5]}_fn"();""",
        Function(TriggerNames[6], $"""
              UPDATE "Prescriptions" AS p SET {CandidateAndPlaceFacts} WHERE p."CandidateId" IN (SELECT c."Id" FROM "Candidates" c WHERE c."CommuneInsee" = NEW."InseeCode");
              UPDATE "Prescriptions" AS p SET {BandFromKm} WHERE p."CandidateId" IN (SELECT c."Id" FROM "Candidates" c WHERE c."CommuneInsee" = NEW."InseeCode");
              UPDATE "Prescriptions" AS p SET {CandidateAndPlaceFacts} WHERE p."SessionId" IN (SELECT s."Id" FROM "Sessions" s WHERE s."PlaceCommuneInsee" = NEW."InseeCode");
              UPDATE "Prescriptions" AS p SET {BandFromKm} WHERE p."SessionId" IN (SELECT s."Id" FROM "Sessions" s WHERE s."PlaceCommuneInsee" = NEW."InseeCode");
            """),
        $"""CREATE TRIGGER "{TriggerNames[6]}" AFTER UPDATE OF "DepartementCode", "Latitude", "Longitude" ON "Communes" FOR EACH ROW EXECUTE FUNCTION "{TriggerNames[6]}_fn"();""",
        Function(TriggerNames[7], $"""
              UPDATE "Prescriptions" AS p SET {CandidateAndPlaceFacts} WHERE p."SessionId" IN (SELECT s."Id" FROM "Sessions" s WHERE s."PlaceCommuneInsee" = NEW."InseeCode");
              UPDATE "Prescriptions" AS p SET {BandFromKm} WHERE p."SessionId" IN (SELECT s."Id" FROM "Sessions" s WHERE s."PlaceCommuneInsee" = NEW."InseeCode");
            """),
        $"""CREATE TRIGGER "{TriggerNames[7]}" AFTER INSERT ON "Communes" FOR EACH ROW EXECUTE FUNCTION "{TriggerNames[7]}_fn"();""",
    ]);

    /// <summary>The set-based backfill: every prescription's facts recomputed from their sources.</summary>
    public static string Backfill() =>
        $"UPDATE \"Prescriptions\" AS p SET {CandidateAndPlaceFacts}, {OwnFacts}, {HistoryFacts}; UPDATE \"Prescriptions\" AS p SET {BandFromKm};";

    private const string Present = """
        SELECT t.tgname AS "Value" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT t.tgisinternal AND t.tgname LIKE 'TR_Obs_%' AND n.nspname = current_schema()
        """;

    /// <summary>Like SQLite's: if a trigger of this version is missing, drops every version's, creates these and backfills, in one transaction.</summary>
    public static async Task<bool> EnsureAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var present = await db.Database.SqlQueryRaw<string>(Present).ToListAsync(cancellationToken);
        if (TriggerNames.All(present.Contains)) return false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Several servers may start together: one creates, the others wait for its commit and then find the triggers.
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        var drops = await db.Database.SqlQueryRaw<string>("""
            SELECT format('DROP TRIGGER %I ON %s', t.tgname, t.tgrelid::regclass) AS "Value" FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND t.tgname LIKE 'TR_Obs_%' AND n.nspname = current_schema()
            """).ToListAsync(cancellationToken);
        present = await db.Database.SqlQueryRaw<string>(Present).ToListAsync(cancellationToken);
        if (TriggerNames.All(present.Contains))
        {
            await transaction.CommitAsync(cancellationToken);
            return false;
        }
        // The statements come from pg_trigger (format %I quotes the names), not from user input.
        foreach (var drop in drops)
            await db.Database.ExecuteSqlRawAsync(drop, cancellationToken);
        await db.Database.ExecuteSqlRawAsync(Triggers(), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(Backfill(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// Issue #16 point 2 (ADR 0021): every stored instant rewritten as its UTC value. An instant column holds
    /// ((local ticks / 1000) &lt;&lt; 11) | offset minutes (ADR 0003); rows written with a non-UTC offset get
    /// (UTC value &lt;&lt; 11), offset bits zero, which is what the model's converter (UtcInstants) writes from now on.
    /// No schema change: the same INTEGER columns.
    /// </summary>
    public partial class UtcInstants : Migration
    {
        /// <summary>The DateTimeOffset columns of the model at this migration (instants inside JSON documents are text, left as they are).</summary>
        private static readonly (string Table, string[] Columns)[] Instants =
        [
            ("SensitiveReads", new[] { "At" }),
            ("Arbitrations", new[] { "DecidedAt", "OpenedAt" }),
            ("Candidates", new[] { "CreatedAt", "LastActivityAt" }),
            ("CandidateLinks", new[] { "CreatedAt", "ExpiresAt", "RevokedAt" }),
            ("EosImports", new[] { "ImportedAt" }),
            ("OfflineEntries", new[] { "RecordedAt" }),
            ("ExportRequests", new[] { "CreatedAt", "ExpiresAt", "FinishedAt" }),
            ("OutboxWatermarks", new[] { "UpdatedAt" }),
            ("ConvocationWarnings", new[] { "RaisedAt", "ResolvedAt" }),
            ("FicheActions", new[] { "CreatedAt", "SubmittedAt", "UpdatedAt", "ValidatedAt" }),
            ("FicheActionVersions", new[] { "SubmittedAt" }),
            ("InfoSessions", new[] { "StartsAt" }),
            ("SelectionCommissions", new[] { "CreatedAt", "MeetsAt", "OutcomeRecordedAt", "UpdatedAt" }),
            ("OrderLots", new[] { "AwardNotifiedAt", "PublishedAt" }),
            ("TenderDocuments", new[] { "UploadedAt" }),
            ("ComplementMessages", new[] { "At" }),
            ("ComplementThreads", new[] { "FirstAnsweredAt", "OpenedAt" }),
            ("Prescriptions", new[] { "ConvokedAt", "CreatedAt", "FirstDecisionAt", "StatusChangedAt" }),
            ("PrescriptionAttachments", new[] { "UploadedAt" }),
            ("PrescriptionTransitions", new[] { "At" }),
            ("QualityAlerts", new[] { "ForwardedAt", "RaisedAt", "ResolvedAt" }),
            ("QualityThresholds", new[] { "UpdatedAt" }),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, columns) in Instants)
            {
                foreach (var column in columns)
                {
                    var c = $"\"{column}\"";
                    migrationBuilder.Sql(
                        $"UPDATE \"{table}\" SET {c} = ((({c} >> 11) - (CASE WHEN ({c} & 2047) >= 1024 THEN ({c} & 2047) - 2048 ELSE {c} & 2047 END) * 600000) << 11) "
                        + $"WHERE {c} IS NOT NULL AND ({c} & 2047) <> 0;");
                }
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The same instants in UTC read the same: nothing to undo.
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class NonSelectionReasonList : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "NonSelectionReasons",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    DisplayOrder = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NonSelectionReasons", x => x.Code);
                });

            migrationBuilder.InsertData(
                table: "NonSelectionReasons",
                columns: new[] { "Code", "Active", "DisplayOrder", "Kind", "Label" },
                values: new object[,]
                {
                    { "ABSENCE_IC", true, 6, 6, "Absence à l'information collective" },
                    { "AUTRE", true, 7, 7, "Autre motif" },
                    { "COMPLET", true, 5, 5, "Session complète" },
                    { "INDISPONIBLE", true, 3, 3, "Candidat indisponible aux dates de la session" },
                    { "INJOIGNABLE", true, 4, 4, "Candidat injoignable" },
                    { "PREREQUIS", true, 1, 1, "Prérequis non atteints" },
                    { "PROJET", true, 2, 2, "Projet professionnel non validé" }
                });

            // ADR 0026: every reason already given gets the code of its kind's seeded reason (kept if it has one).
            migrationBuilder.Sql(""""
                UPDATE Prescriptions SET NonSelectionReasons = (
                  SELECT json_group_array(CASE WHEN json_extract(r.value, '$.Code') IS NOT NULL THEN json(r.value)
                    ELSE CASE json_extract(r.value, '$.Kind')
                                WHEN 1 THEN json_set(r.value, '$.Code', 'PREREQUIS')
                                WHEN 2 THEN json_set(r.value, '$.Code', 'PROJET')
                                WHEN 3 THEN json_set(r.value, '$.Code', 'INDISPONIBLE')
                                WHEN 4 THEN json_set(r.value, '$.Code', 'INJOIGNABLE')
                                WHEN 5 THEN json_set(r.value, '$.Code', 'COMPLET')
                                WHEN 6 THEN json_set(r.value, '$.Code', 'ABSENCE_IC')
                                WHEN 7 THEN json_set(r.value, '$.Code', 'AUTRE')
                                ELSE json(r.value) END END)
                  FROM (SELECT e.value FROM json_each(Prescriptions.NonSelectionReasons) e ORDER BY e.key) r)
                WHERE NonSelectionReasons IS NOT NULL AND json_valid(NonSelectionReasons) AND json_array_length(NonSelectionReasons) > 0;
                """");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(""""
                UPDATE Prescriptions SET NonSelectionReasons = (
                  SELECT json_group_array(json_remove(r.value, '$.Code'))
                  FROM (SELECT e.value FROM json_each(Prescriptions.NonSelectionReasons) e ORDER BY e.key) r)
                WHERE NonSelectionReasons IS NOT NULL AND json_valid(NonSelectionReasons) AND json_array_length(NonSelectionReasons) > 0;
                """");

            migrationBuilder.DropTable(
                name: "NonSelectionReasons");
        }
    }
}

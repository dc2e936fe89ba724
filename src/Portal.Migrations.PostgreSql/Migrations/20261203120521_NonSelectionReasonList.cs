using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Portal.Migrations.PostgreSql.Migrations
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
                    Code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Label = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    DisplayOrder = table.Column<int>(type: "integer", nullable: false)
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
                UPDATE "Prescriptions" AS p SET "NonSelectionReasons" = (
                  SELECT jsonb_agg(CASE WHEN (r.value ->> 'Code') IS NOT NULL THEN r.value
                    ELSE CASE (r.value ->> 'Kind')
                                WHEN '1' THEN jsonb_set(r.value, '{Code}', '"PREREQUIS"')
                                WHEN '2' THEN jsonb_set(r.value, '{Code}', '"PROJET"')
                                WHEN '3' THEN jsonb_set(r.value, '{Code}', '"INDISPONIBLE"')
                                WHEN '4' THEN jsonb_set(r.value, '{Code}', '"INJOIGNABLE"')
                                WHEN '5' THEN jsonb_set(r.value, '{Code}', '"COMPLET"')
                                WHEN '6' THEN jsonb_set(r.value, '{Code}', '"ABSENCE_IC"')
                                WHEN '7' THEN jsonb_set(r.value, '{Code}', '"AUTRE"')
                                ELSE r.value END END ORDER BY r.ordinality)
                  FROM jsonb_array_elements(p."NonSelectionReasons") WITH ORDINALITY AS r(value, ordinality))
                WHERE CASE WHEN jsonb_typeof(p."NonSelectionReasons") = 'array' THEN jsonb_array_length(p."NonSelectionReasons") ELSE 0 END > 0;
                """");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(""""
                UPDATE "Prescriptions" AS p SET "NonSelectionReasons" = (
                  SELECT jsonb_agg(r.value - 'Code' ORDER BY r.ordinality)
                  FROM jsonb_array_elements(p."NonSelectionReasons") WITH ORDINALITY AS r(value, ordinality))
                WHERE CASE WHEN jsonb_typeof(p."NonSelectionReasons") = 'array' THEN jsonb_array_length(p."NonSelectionReasons") ELSE 0 END > 0;
                """");

            migrationBuilder.DropTable(
                name: "NonSelectionReasons");
        }
    }
}

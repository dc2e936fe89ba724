using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PlacesCountThemselves : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "KeptBackPlaces",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateOnly>(
                name: "OfferDeadline",
                table: "Prescriptions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_OfferDeadline",
                table: "Prescriptions",
                column: "OfferDeadline",
                filter: "\"OfferDeadline\" IS NOT NULL");

            // O8 (ADR 0015): the figure the OF declared becomes the places it keeps back below capacity − places held, and the
            // open places are recounted (selected 5, entered 8 and offered 13 hold a place; a cancelled session (6) has none open).
            var held = $"(SELECT COUNT(*) FROM \"Prescriptions\" p WHERE p.\"SessionId\" = \"Sessions\".\"Id\" AND p.\"Status\" IN (5, 8, 13))";
            migrationBuilder.Sql($"UPDATE \"Sessions\" SET \"KeptBackPlaces\" = max(0, \"Capacity\" - {held} - \"OpenPlaces\");");
            migrationBuilder.Sql($"UPDATE \"Sessions\" SET \"OpenPlaces\" = CASE WHEN \"Status\" = 6 THEN 0 ELSE max(0, \"Capacity\" - {held} - \"KeptBackPlaces\") END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Prescriptions_OfferDeadline",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "KeptBackPlaces",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "OfferDeadline",
                table: "Prescriptions");
        }
    }
}

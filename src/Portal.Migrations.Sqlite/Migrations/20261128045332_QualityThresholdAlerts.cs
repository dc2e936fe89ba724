using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class QualityThresholdAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_QualityAlerts_Kind_OrganisationId",
                table: "QualityAlerts");

            migrationBuilder.AddColumn<string>(
                name: "IndicatorKey",
                table: "QualityAlerts",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<double>(
                name: "Threshold",
                table: "QualityAlerts",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Value",
                table: "QualityAlerts",
                type: "REAL",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_QualityAlerts_Kind_OrganisationId_IndicatorKey",
                table: "QualityAlerts",
                columns: new[] { "Kind", "OrganisationId", "IndicatorKey" },
                unique: true,
                filter: "\"ResolvedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_QualityAlerts_Kind_OrganisationId_IndicatorKey",
                table: "QualityAlerts");

            migrationBuilder.DropColumn(
                name: "IndicatorKey",
                table: "QualityAlerts");

            migrationBuilder.DropColumn(
                name: "Threshold",
                table: "QualityAlerts");

            migrationBuilder.DropColumn(
                name: "Value",
                table: "QualityAlerts");

            migrationBuilder.CreateIndex(
                name: "IX_QualityAlerts_Kind_OrganisationId",
                table: "QualityAlerts",
                columns: new[] { "Kind", "OrganisationId" },
                unique: true,
                filter: "\"ResolvedAt\" IS NULL");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ListsPagedInSql : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_QualityAlerts_OrganisationId",
                table: "QualityAlerts");

            migrationBuilder.DropIndex(
                name: "IX_FicheActions_OrganisationId_Status",
                table: "FicheActions");

            migrationBuilder.DropIndex(
                name: "IX_FicheActions_Status",
                table: "FicheActions");

            migrationBuilder.DropIndex(
                name: "IX_EosAnomalies_ImportId_Kind",
                table: "EosAnomalies");

            migrationBuilder.DropIndex(
                name: "IX_Arbitrations_AssignedOrganisationId_Status_OpenedAt",
                table: "Arbitrations");

            migrationBuilder.CreateIndex(
                name: "IX_QualityAlerts_OrganisationId_ResolvedAt_RaisedAt",
                table: "QualityAlerts",
                columns: new[] { "OrganisationId", "ResolvedAt", "RaisedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_SessionId_CreatedAt_Id",
                table: "Prescriptions",
                columns: new[] { "SessionId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_FicheActions_OrganisationId_Status_UpdatedAt",
                table: "FicheActions",
                columns: new[] { "OrganisationId", "Status", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_FicheActions_Status_SubmittedAt",
                table: "FicheActions",
                columns: new[] { "Status", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_EosAnomalies_ImportId_Kind_Line_Id",
                table: "EosAnomalies",
                columns: new[] { "ImportId", "Kind", "Line", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Arbitrations_AssignedOrganisationId_Status_OpenedAt",
                table: "Arbitrations",
                columns: new[] { "AssignedOrganisationId", "Status", "OpenedAt" },
                descending: new[] { false, false, true });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_QualityAlerts_OrganisationId_ResolvedAt_RaisedAt",
                table: "QualityAlerts");

            migrationBuilder.DropIndex(
                name: "IX_Prescriptions_SessionId_CreatedAt_Id",
                table: "Prescriptions");

            migrationBuilder.DropIndex(
                name: "IX_FicheActions_OrganisationId_Status_UpdatedAt",
                table: "FicheActions");

            migrationBuilder.DropIndex(
                name: "IX_FicheActions_Status_SubmittedAt",
                table: "FicheActions");

            migrationBuilder.DropIndex(
                name: "IX_EosAnomalies_ImportId_Kind_Line_Id",
                table: "EosAnomalies");

            migrationBuilder.DropIndex(
                name: "IX_Arbitrations_AssignedOrganisationId_Status_OpenedAt",
                table: "Arbitrations");

            migrationBuilder.CreateIndex(
                name: "IX_QualityAlerts_OrganisationId",
                table: "QualityAlerts",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_FicheActions_OrganisationId_Status",
                table: "FicheActions",
                columns: new[] { "OrganisationId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_FicheActions_Status",
                table: "FicheActions",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_EosAnomalies_ImportId_Kind",
                table: "EosAnomalies",
                columns: new[] { "ImportId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_Arbitrations_AssignedOrganisationId_Status_OpenedAt",
                table: "Arbitrations",
                columns: new[] { "AssignedOrganisationId", "Status", "OpenedAt" });
        }
    }
}

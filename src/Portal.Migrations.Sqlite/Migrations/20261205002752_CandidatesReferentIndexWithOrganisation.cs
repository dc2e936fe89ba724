using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CandidatesReferentIndexWithOrganisation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Candidates_ReferentUserId_LastName_FirstName",
                table: "Candidates");

            migrationBuilder.CreateIndex(
                name: "IX_Candidates_ReferentUserId_OrganisationId_LastName_FirstName",
                table: "Candidates",
                columns: new[] { "ReferentUserId", "OrganisationId", "LastName", "FirstName" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Candidates_ReferentUserId_OrganisationId_LastName_FirstName",
                table: "Candidates");

            migrationBuilder.CreateIndex(
                name: "IX_Candidates_ReferentUserId_LastName_FirstName",
                table: "Candidates",
                columns: new[] { "ReferentUserId", "LastName", "FirstName" });
        }
    }
}

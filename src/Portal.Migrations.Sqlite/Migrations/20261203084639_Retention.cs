using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Retention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "PseudonymisedAt",
                table: "Candidates",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PersonalDataLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CandidateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Action = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonalDataLog", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Candidates_IsPseudonymised_LastActivityAt",
                table: "Candidates",
                columns: new[] { "IsPseudonymised", "LastActivityAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonalDataLog_CandidateId_At",
                table: "PersonalDataLog",
                columns: new[] { "CandidateId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonalDataLog_OrganisationId_At",
                table: "PersonalDataLog",
                columns: new[] { "OrganisationId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PersonalDataLog");

            migrationBuilder.DropIndex(
                name: "IX_Candidates_IsPseudonymised_LastActivityAt",
                table: "Candidates");

            migrationBuilder.DropColumn(
                name: "PseudonymisedAt",
                table: "Candidates");
        }
    }
}

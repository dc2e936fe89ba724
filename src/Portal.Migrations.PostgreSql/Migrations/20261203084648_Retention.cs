using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Portal.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class Retention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PseudonymisedAt",
                table: "Candidates",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PersonalDataLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CandidateId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Action = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
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

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ArbitrationAndCandidateLinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Candidates_AccessToken",
                table: "Candidates");

            migrationBuilder.DropColumn(
                name: "AccessToken",
                table: "Candidates");

            migrationBuilder.CreateTable(
                name: "Arbitrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PrescriptionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ContestedStatus = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenedBySide = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenedByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AssignedOrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PrescriberArgument = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    TrainingBodyArgument = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: true),
                    NewDecision = table.Column<int>(type: "INTEGER", nullable: true),
                    OutcomeText = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    DecidedByUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Arbitrations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Arbitrations_Organisations_AssignedOrganisationId",
                        column: x => x.AssignedOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Arbitrations_Prescriptions_PrescriptionId",
                        column: x => x.PrescriptionId,
                        principalTable: "Prescriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CandidateLinks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CandidateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CandidateLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CandidateLinks_Candidates_CandidateId",
                        column: x => x.CandidateId,
                        principalTable: "Candidates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Arbitrations_AssignedOrganisationId_Status_OpenedAt",
                table: "Arbitrations",
                columns: new[] { "AssignedOrganisationId", "Status", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Arbitrations_OneOpenPerPrescription",
                table: "Arbitrations",
                column: "PrescriptionId",
                unique: true,
                filter: "\"Status\" = 0");

            migrationBuilder.CreateIndex(
                name: "IX_CandidateLinks_CandidateId_CreatedAt",
                table: "CandidateLinks",
                columns: new[] { "CandidateId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CandidateLinks_TokenHash",
                table: "CandidateLinks",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Arbitrations");

            migrationBuilder.DropTable(
                name: "CandidateLinks");

            migrationBuilder.AddColumn<string>(
                name: "AccessToken",
                table: "Candidates",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_Candidates_AccessToken",
                table: "Candidates",
                column: "AccessToken",
                unique: true);
        }
    }
}

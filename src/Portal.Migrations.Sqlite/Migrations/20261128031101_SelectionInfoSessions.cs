using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SelectionInfoSessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AbsenceJustification",
                table: "Prescriptions",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ConvokedInfoSessionId",
                table: "Prescriptions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ConvocationWarnings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    InfoSessionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SessionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TrainingBodyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RaisedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConvocationWarnings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConvocationWarnings_InfoSessions_InfoSessionId",
                        column: x => x.InfoSessionId,
                        principalTable: "InfoSessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SelectionCommissions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SessionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Members = table.Column<string>(type: "TEXT", nullable: false),
                    MeetsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    OutcomeRecordedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SelectionCommissions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SelectionCommissions_Sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "Sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_ConvokedInfoSessionId_Status",
                table: "Prescriptions",
                columns: new[] { "ConvokedInfoSessionId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_InfoSessions_StartsAt",
                table: "InfoSessions",
                column: "StartsAt");

            migrationBuilder.CreateIndex(
                name: "IX_ConvocationWarnings_InfoSessionId",
                table: "ConvocationWarnings",
                column: "InfoSessionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConvocationWarnings_RaisedAt",
                table: "ConvocationWarnings",
                column: "RaisedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ConvocationWarnings_TrainingBodyId_ResolvedAt",
                table: "ConvocationWarnings",
                columns: new[] { "TrainingBodyId", "ResolvedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SelectionCommissions_SessionId",
                table: "SelectionCommissions",
                column: "SessionId",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Prescriptions_InfoSessions_ConvokedInfoSessionId",
                table: "Prescriptions",
                column: "ConvokedInfoSessionId",
                principalTable: "InfoSessions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Prescriptions_InfoSessions_ConvokedInfoSessionId",
                table: "Prescriptions");

            migrationBuilder.DropTable(
                name: "ConvocationWarnings");

            migrationBuilder.DropTable(
                name: "SelectionCommissions");

            migrationBuilder.DropIndex(
                name: "IX_Prescriptions_ConvokedInfoSessionId_Status",
                table: "Prescriptions");

            migrationBuilder.DropIndex(
                name: "IX_InfoSessions_StartsAt",
                table: "InfoSessions");

            migrationBuilder.DropColumn(
                name: "AbsenceJustification",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "ConvokedInfoSessionId",
                table: "Prescriptions");
        }
    }
}

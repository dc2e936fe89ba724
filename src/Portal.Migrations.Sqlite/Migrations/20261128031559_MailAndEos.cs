using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class MailAndEos : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EosImports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ImportedByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ImportedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LineCount = table.Column<int>(type: "INTEGER", nullable: false),
                    MatchedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    AnomalyCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EosImports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OutboxWatermarks",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Position = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxWatermarks", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "EosAnomalies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ImportId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Line = table.Column<int>(type: "INTEGER", nullable: true),
                    CandidateName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    FranceTravailId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    BirthDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    SessionReference = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    TrainingTitle = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    EosEntryDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    PortalEntryDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    PrescriptionId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EosAnomalies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EosAnomalies_EosImports_ImportId",
                        column: x => x.ImportId,
                        principalTable: "EosImports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EosAnomalies_ImportId_Kind",
                table: "EosAnomalies",
                columns: new[] { "ImportId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_EosImports_ImportedAt",
                table: "EosImports",
                column: "ImportedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EosAnomalies");

            migrationBuilder.DropTable(
                name: "OutboxWatermarks");

            migrationBuilder.DropTable(
                name: "EosImports");
        }
    }
}

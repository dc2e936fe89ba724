using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class QualityIndicatorsAndAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "QualityAlerts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    RaisedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ForwardedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ForwardedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    ForwardComment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualityAlerts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QualityAlerts_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "QualityThresholds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    IndicatorKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Value = table.Column<double>(type: "REAL", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualityThresholds", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QualityAlerts_Kind_OrganisationId",
                table: "QualityAlerts",
                columns: new[] { "Kind", "OrganisationId" },
                unique: true,
                filter: "\"ResolvedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_QualityAlerts_OrganisationId",
                table: "QualityAlerts",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_QualityAlerts_RaisedAt",
                table: "QualityAlerts",
                column: "RaisedAt");

            migrationBuilder.CreateIndex(
                name: "IX_QualityThresholds_IndicatorKey",
                table: "QualityThresholds",
                column: "IndicatorKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QualityAlerts");

            migrationBuilder.DropTable(
                name: "QualityThresholds");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OfferAndRegionalOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CancellationReason",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalReference",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Address",
                table: "Organisations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Accessibility",
                table: "FicheActions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "CertificationLevel",
                table: "FicheActions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactEmail",
                table: "FicheActions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ContactName",
                table: "FicheActions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ContactPhone",
                table: "FicheActions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ExpectedResults",
                table: "FicheActions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ExternalReference",
                table: "FicheActions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "FicheActions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "TargetPublic",
                table: "FicheActions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "TrainingPlaces",
                table: "FicheActions",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<long>(
                name: "UpdatedAt",
                table: "FicheActions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "FicheActionVersions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FicheActionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Snapshot = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FicheActionVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FicheActionVersions_FicheActions_FicheActionId",
                        column: x => x.FicheActionId,
                        principalTable: "FicheActions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OrderLots",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    TerritoryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Volume = table.Column<int>(type: "INTEGER", nullable: false),
                    TenderDeadline = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    AwardedOrganisationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AwardedFicheActionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AwardNotifiedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderLots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderLots_Territories_TerritoryId",
                        column: x => x.TerritoryId,
                        principalTable: "Territories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TenderDocuments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    LotId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    StorageKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TenderDocuments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TenderDocuments_OrderLots_LotId",
                        column: x => x.LotId,
                        principalTable: "OrderLots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_ExternalReference",
                table: "Sessions",
                column: "ExternalReference");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_PlaceCommuneInsee",
                table: "Sessions",
                column: "PlaceCommuneInsee");

            migrationBuilder.CreateIndex(
                name: "IX_FicheActions_ExternalReference",
                table: "FicheActions",
                column: "ExternalReference");

            migrationBuilder.CreateIndex(
                name: "IX_Communes_Latitude_Longitude",
                table: "Communes",
                columns: new[] { "Latitude", "Longitude" });

            migrationBuilder.CreateIndex(
                name: "IX_FicheActionVersions_FicheActionId_Number",
                table: "FicheActionVersions",
                columns: new[] { "FicheActionId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OrderLots_Status_TenderDeadline",
                table: "OrderLots",
                columns: new[] { "Status", "TenderDeadline" });

            migrationBuilder.CreateIndex(
                name: "IX_OrderLots_TerritoryId",
                table: "OrderLots",
                column: "TerritoryId");

            migrationBuilder.CreateIndex(
                name: "IX_TenderDocuments_LotId",
                table: "TenderDocuments",
                column: "LotId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FicheActionVersions");

            migrationBuilder.DropTable(
                name: "TenderDocuments");

            migrationBuilder.DropTable(
                name: "OrderLots");

            migrationBuilder.DropIndex(
                name: "IX_Sessions_ExternalReference",
                table: "Sessions");

            migrationBuilder.DropIndex(
                name: "IX_Sessions_PlaceCommuneInsee",
                table: "Sessions");

            migrationBuilder.DropIndex(
                name: "IX_FicheActions_ExternalReference",
                table: "FicheActions");

            migrationBuilder.DropIndex(
                name: "IX_Communes_Latitude_Longitude",
                table: "Communes");

            migrationBuilder.DropColumn(
                name: "CancellationReason",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "ExternalReference",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "Address",
                table: "Organisations");

            migrationBuilder.DropColumn(
                name: "Accessibility",
                table: "FicheActions");

            migrationBuilder.DropColumn(
                name: "CertificationLevel",
                table: "FicheActions");

            migrationBuilder.DropColumn(
                name: "ContactEmail",
                table: "FicheActions");

            migrationBuilder.DropColumn(
                name: "ContactName",
                table: "FicheActions");

            migrationBuilder.DropColumn(
                name: "ContactPhone",
                table: "FicheActions");

            migrationBuilder.DropColumn(
                name: "ExpectedResults",
                table: "FicheActions");

            migrationBuilder.DropColumn(
                name: "ExternalReference",
                table: "FicheActions");

            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "FicheActions");

            migrationBuilder.DropColumn(
                name: "TargetPublic",
                table: "FicheActions");

            migrationBuilder.DropColumn(
                name: "TrainingPlaces",
                table: "FicheActions");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "FicheActions");
        }
    }
}

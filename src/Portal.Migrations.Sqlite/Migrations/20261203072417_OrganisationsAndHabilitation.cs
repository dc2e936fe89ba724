using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OrganisationsAndHabilitation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CommuneInsee",
                table: "Organisations",
                type: "TEXT",
                maxLength: 5,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "DelegateUserId",
                table: "Organisations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "HabilitatedOn",
                table: "Organisations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HabilitationReference",
                table: "Organisations",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Organisations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "MfeCoverages",
                columns: table => new
                {
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DepartementCode = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MfeCoverages", x => new { x.OrganisationId, x.DepartementCode });
                    table.ForeignKey(
                        name: "FK_MfeCoverages_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OrganisationHistory",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ByName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    To = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrganisationHistory", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrganisationHistory_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Organisations_DelegateUserId",
                table: "Organisations",
                column: "DelegateUserId");

            migrationBuilder.CreateIndex(
                name: "IX_Organisations_Habilitation_Kind",
                table: "Organisations",
                columns: new[] { "Habilitation", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_Organisations_Name",
                table: "Organisations",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_MfeCoverages_DepartementCode",
                table: "MfeCoverages",
                column: "DepartementCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OrganisationHistory_OrganisationId_Id",
                table: "OrganisationHistory",
                columns: new[] { "OrganisationId", "Id" });

            migrationBuilder.AddForeignKey(
                name: "FK_Organisations_Users_DelegateUserId",
                table: "Organisations",
                column: "DelegateUserId",
                principalTable: "Users",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Organisations_Users_DelegateUserId",
                table: "Organisations");

            migrationBuilder.DropTable(
                name: "MfeCoverages");

            migrationBuilder.DropTable(
                name: "OrganisationHistory");

            migrationBuilder.DropIndex(
                name: "IX_Organisations_DelegateUserId",
                table: "Organisations");

            migrationBuilder.DropIndex(
                name: "IX_Organisations_Habilitation_Kind",
                table: "Organisations");

            migrationBuilder.DropIndex(
                name: "IX_Organisations_Name",
                table: "Organisations");

            migrationBuilder.DropColumn(
                name: "CommuneInsee",
                table: "Organisations");

            migrationBuilder.DropColumn(
                name: "DelegateUserId",
                table: "Organisations");

            migrationBuilder.DropColumn(
                name: "HabilitatedOn",
                table: "Organisations");

            migrationBuilder.DropColumn(
                name: "HabilitationReference",
                table: "Organisations");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Organisations");
        }
    }
}

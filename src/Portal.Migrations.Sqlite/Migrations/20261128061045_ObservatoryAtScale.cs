using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ObservatoryAtScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "EverSelected",
                table: "Prescriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "Explained",
                table: "Prescriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "FirstDecisionAt",
                table: "Prescriptions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "FormComplete",
                table: "Prescriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "JourneyBand",
                table: "Prescriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<double>(
                name: "JourneyKm",
                table: "Prescriptions",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ObsBirthDate",
                table: "Prescriptions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ObsPlaceDepartement",
                table: "Prescriptions",
                type: "TEXT",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ObsProjectRome",
                table: "Prescriptions",
                type: "TEXT",
                maxLength: 5,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ObsResidenceDepartement",
                table: "Prescriptions",
                type: "TEXT",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ObsSituation",
                table: "Prescriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "ProjectMatchesAction",
                table: "Prescriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "ReasonKinds",
                table: "Prescriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_AccessObservatory",
                table: "Prescriptions",
                columns: new[] { "ObsSituation", "ObsResidenceDepartement", "JourneyBand", "CreatedAt", "ObsBirthDate", "EverSelected", "Status", "JourneyKm", "TrainingBodyId", "ObsPlaceDepartement" });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_CreatedAt",
                table: "Prescriptions",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_NeedsObservatory",
                table: "Prescriptions",
                columns: new[] { "ObsProjectRome", "CreatedAt", "TrainingBodyId", "ObsPlaceDepartement", "CandidateId", "ProjectMatchesAction" });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_QualityObservatory",
                table: "Prescriptions",
                columns: new[] { "TrainingBodyId", "PrescriberOrganisationId", "CreatedAt", "Status", "ConvokedAt", "ConvokedInfoSessionId", "FirstDecisionAt", "FormComplete", "Explained" });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_ReasonsObservatory",
                table: "Prescriptions",
                columns: new[] { "Status", "CreatedAt", "TrainingBodyId", "SessionId", "ReasonKinds", "ObsPlaceDepartement" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Prescriptions_AccessObservatory",
                table: "Prescriptions");

            migrationBuilder.DropIndex(
                name: "IX_Prescriptions_CreatedAt",
                table: "Prescriptions");

            migrationBuilder.DropIndex(
                name: "IX_Prescriptions_NeedsObservatory",
                table: "Prescriptions");

            migrationBuilder.DropIndex(
                name: "IX_Prescriptions_QualityObservatory",
                table: "Prescriptions");

            migrationBuilder.DropIndex(
                name: "IX_Prescriptions_ReasonsObservatory",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "EverSelected",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "Explained",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "FirstDecisionAt",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "FormComplete",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "JourneyBand",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "JourneyKm",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "ObsBirthDate",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "ObsPlaceDepartement",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "ObsProjectRome",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "ObsResidenceDepartement",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "ObsSituation",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "ProjectMatchesAction",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "ReasonKinds",
                table: "Prescriptions");
        }
    }
}

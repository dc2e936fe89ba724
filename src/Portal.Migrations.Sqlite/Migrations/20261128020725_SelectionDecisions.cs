using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SelectionDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CandidateExplanation",
                table: "Prescriptions",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PrescriberExplanation",
                table: "Prescriptions",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Prescriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "WaitlistRank",
                table: "Prescriptions",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CandidateExplanation",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "PrescriberExplanation",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "WaitlistRank",
                table: "Prescriptions");
        }
    }
}

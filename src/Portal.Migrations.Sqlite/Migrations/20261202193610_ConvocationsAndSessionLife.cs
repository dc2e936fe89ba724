using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ConvocationsAndSessionLife : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Prescriptions_QualityObservatory",
                table: "Prescriptions");

            migrationBuilder.AddColumn<bool>(
                name: "ConvokedLate",
                table: "Prescriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_QualityObservatory",
                table: "Prescriptions",
                columns: new[] { "TrainingBodyId", "PrescriberOrganisationId", "CreatedAt", "Status", "ConvokedAt", "ConvokedInfoSessionId", "ConvokedLate", "FirstDecisionAt", "FormComplete", "Explained" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Prescriptions_QualityObservatory",
                table: "Prescriptions");

            migrationBuilder.DropColumn(
                name: "ConvokedLate",
                table: "Prescriptions");

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_QualityObservatory",
                table: "Prescriptions",
                columns: new[] { "TrainingBodyId", "PrescriberOrganisationId", "CreatedAt", "Status", "ConvokedAt", "ConvokedInfoSessionId", "FirstDecisionAt", "FormComplete", "Explained" });
        }
    }
}

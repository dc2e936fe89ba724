using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PrescriptionIndexesForErasure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_EosAnomalies_PrescriptionId",
                table: "EosAnomalies",
                column: "PrescriptionId");

            migrationBuilder.CreateIndex(
                name: "IX_Arbitrations_PrescriptionId",
                table: "Arbitrations",
                column: "PrescriptionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EosAnomalies_PrescriptionId",
                table: "EosAnomalies");

            migrationBuilder.DropIndex(
                name: "IX_Arbitrations_PrescriptionId",
                table: "Arbitrations");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ComplementDocuments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ComplementMessageId",
                table: "PrescriptionAttachments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_PrescriptionAttachments_ComplementMessageId",
                table: "PrescriptionAttachments",
                column: "ComplementMessageId");

            migrationBuilder.AddForeignKey(
                name: "FK_PrescriptionAttachments_ComplementMessages_ComplementMessageId",
                table: "PrescriptionAttachments",
                column: "ComplementMessageId",
                principalTable: "ComplementMessages",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_PrescriptionAttachments_ComplementMessages_ComplementMessageId",
                table: "PrescriptionAttachments");

            migrationBuilder.DropIndex(
                name: "IX_PrescriptionAttachments_ComplementMessageId",
                table: "PrescriptionAttachments");

            migrationBuilder.DropColumn(
                name: "ComplementMessageId",
                table: "PrescriptionAttachments");
        }
    }
}

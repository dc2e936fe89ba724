using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FicheForTheOfAndLheoLines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Issue #13. P1: the fiche action's débouchés and suites de parcours (empty for existing fiches).
            // LHEO address lines: Organisations.Address now keeps one line per <ligne>, separated by a line break, the
            // town last. Existing addresses imported on one line ("street, 33000 Town") are not split: the export
            // reads them as before and wraps them into lines of at most 50 characters, so no data change is needed.
            migrationBuilder.AddColumn<string>(
                name: "FollowOnPaths",
                table: "FicheActions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "JobProspects",
                table: "FicheActions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FollowOnPaths",
                table: "FicheActions");

            migrationBuilder.DropColumn(
                name: "JobProspects",
                table: "FicheActions");
        }
    }
}

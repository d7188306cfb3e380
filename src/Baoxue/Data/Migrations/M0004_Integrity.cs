using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>
/// Row versions on the records people decide on (status changes, roll-call returns and their marks), and one pending
/// status change per student as a partial unique index.
/// </summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000004_Integrity")]
public sealed class M0004_Integrity : Migration
{
    private static readonly string[] Versioned = ["StatusChanges", "RollCallReturns", "RollCallMarks"];

    protected override void Up(MigrationBuilder mb)
    {
        foreach (var table in Versioned)
        {
            mb.AddColumn<int>("Version", table, nullable: false, defaultValue: 0);
            // Existing rows start at 0; the app sets the value from then on, so the column keeps no default
            // (SQLite cannot drop one without rebuilding the table, and its schema does not compare defaults).
            if (ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
            {
                mb.Sql($"ALTER TABLE \"{table}\" ALTER COLUMN \"Version\" DROP DEFAULT;");
            }
        }
        mb.CreateIndex("IX_StatusChanges_StudentId_Pending", "StatusChanges", "StudentId", unique: true, filter: "\"State\" = 1");
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropIndex("IX_StatusChanges_StudentId_Pending", "StatusChanges");
        foreach (var table in Versioned)
        {
            mb.DropColumn("Version", table);
        }
    }
}

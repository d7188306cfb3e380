using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>
/// Reports read their figures from a rates snapshot (decision 0034); status changes carry the grade they took effect in,
/// backfilled from the class the student left where that is known.
/// </summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000022_ReportSnapshots")]
public sealed class M0022_ReportSnapshots : Migration
{
    /// <summary>Earlier changes get the grade of the class the student left, where the change names one.</summary>
    public const string Backfill =
        "UPDATE \"StatusChanges\" SET \"Grade\" = (SELECT c.\"Grade\" FROM \"Classes\" c WHERE c.\"Id\" = \"StatusChanges\".\"FromClassId\") WHERE \"Grade\" IS NULL AND \"FromClassId\" IS NOT NULL";

    protected override void Up(MigrationBuilder mb)
    {
        mb.AddColumn<Guid>("FigureSetId", "Reports", nullable: true);
        mb.CreateIndex("IX_Reports_FigureSetId", "Reports", "FigureSetId");
        mb.AddColumn<int>("Grade", "StatusChanges", nullable: true);
        mb.Sql(Backfill);
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropColumn("Grade", "StatusChanges");
        mb.DropIndex("IX_Reports_FigureSetId", "Reports");
        mb.DropColumn("FigureSetId", "Reports");
    }
}

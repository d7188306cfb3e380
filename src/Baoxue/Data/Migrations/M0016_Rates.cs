using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>Prepared figures (aggregate rows) in sets, the current one and frozen snapshots, and targets per jurisdiction (decision 0027).</summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000016_Rates")]
public sealed class M0016_Rates : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("FigureSets", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Kind = t.Column<int>(nullable: false),
            AsOf = t.Column<DateOnly>(nullable: false),
            Month = t.Column<int>(nullable: true),
            TakenAt = t.Column<DateTime>(nullable: false),
            TakenBy = t.Column<string>(maxLength: 256, nullable: false),
            Note = t.Column<string>(maxLength: 200, nullable: true),
            IsComplete = t.Column<bool>(nullable: false),
            Rows = t.Column<int>(nullable: false),
            Milliseconds = t.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_FigureSets", x => x.Id));
        mb.CreateIndex("IX_FigureSets_Kind_TakenAt", "FigureSets", ["Kind", "TakenAt"]);
        mb.CreateIndex("IX_FigureSets_Month", "FigureSets", "Month", unique: true);

        mb.CreateTable("FigureRows", t => new
        {
            SetId = t.Column<Guid>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            Depth = t.Column<int>(nullable: false),
            Measure = t.Column<string>(maxLength: 32, nullable: false),
            Dimension = t.Column<string>(maxLength: 600, nullable: false),
            Value = t.Column<long>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_FigureRows", x => new { x.SetId, x.Path, x.Measure, x.Dimension });
            t.ForeignKey("FK_FigureRows_FigureSets_SetId", x => x.SetId, "FigureSets", "Id", onDelete: ReferentialAction.Cascade);
        });

        mb.CreateIndex("IX_FigureRows_SetId_Depth_Path", "FigureRows", ["SetId", "Depth", "Path"]);

        mb.CreateTable("RateTargets", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            Rate = t.Column<string>(maxLength: 32, nullable: false),
            Percent = t.Column<decimal>(precision: 5, scale: 2, nullable: false),
            UpdatedBy = t.Column<string>(maxLength: 256, nullable: false),
            UpdatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_RateTargets", x => x.Id));
        mb.CreateIndex("IX_RateTargets_Path_Rate", "RateTargets", ["Path", "Rate"], unique: true);
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropTable("RateTargets");
        mb.DropTable("FigureRows");
        mb.DropTable("FigureSets");
    }
}

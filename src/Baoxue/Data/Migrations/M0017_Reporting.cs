using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>The reporting rhythm's reports (figures frozen as JSON) and phased campaigns with per-school progress.</summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000017_Reporting")]
public sealed class M0017_Reporting : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("Reports", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Version = t.Column<int>(nullable: false),
            Kind = t.Column<int>(nullable: false),
            PeriodStart = t.Column<DateOnly>(nullable: false),
            PeriodEnd = t.Column<DateOnly>(nullable: false),
            AsOf = t.Column<DateOnly>(nullable: false),
            DueOn = t.Column<DateOnly>(nullable: false),
            State = t.Column<int>(nullable: false),
            UnitName = t.Column<string>(maxLength: 100, nullable: false),
            Figures = t.Column<string>(nullable: false),
            Narrative = t.Column<string>(maxLength: 4000, nullable: true),
            GeneratedAt = t.Column<DateTime>(nullable: false),
            GeneratedBy = t.Column<string>(maxLength: 256, nullable: false),
            SubmittedAt = t.Column<DateTime>(nullable: true),
            SubmittedBy = t.Column<string>(maxLength: 256, nullable: true),
            DecidedAt = t.Column<DateTime>(nullable: true),
            DecidedBy = t.Column<string>(maxLength: 256, nullable: true),
            DecisionNote = t.Column<string>(maxLength: 500, nullable: true),
            ArchivedAt = t.Column<DateTime>(nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            ReviewerPath = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_Reports", x => x.Id));
        mb.CreateIndex("IX_Reports_Path_Kind_PeriodStart", "Reports", ["Path", "Kind", "PeriodStart"], unique: true);
        mb.CreateIndex("IX_Reports_ReviewerPath_State", "Reports", ["ReviewerPath", "State"]);

        mb.CreateTable("Campaigns", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Title = t.Column<string>(maxLength: 100, nullable: false),
            Description = t.Column<string>(maxLength: 1000, nullable: true),
            CreatedAt = t.Column<DateTime>(nullable: false),
            CreatedBy = t.Column<string>(maxLength: 256, nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_Campaigns", x => x.Id));
        mb.CreateIndex("IX_Campaigns_Path", "Campaigns", "Path");

        mb.CreateTable("CampaignPhases", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            CampaignId = t.Column<Guid>(nullable: false),
            Kind = t.Column<int>(nullable: false),
            DueOn = t.Column<DateOnly>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_CampaignPhases", x => x.Id);
            t.ForeignKey("FK_CampaignPhases_Campaigns_CampaignId", x => x.CampaignId, "Campaigns", "Id", onDelete: ReferentialAction.Cascade);
        });
        mb.CreateIndex("IX_CampaignPhases_CampaignId_Kind", "CampaignPhases", ["CampaignId", "Kind"], unique: true);

        mb.CreateTable("CampaignProgress", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Version = t.Column<int>(nullable: false),
            CampaignId = t.Column<Guid>(nullable: false),
            PhaseId = t.Column<Guid>(nullable: false),
            SchoolId = t.Column<Guid>(nullable: false),
            State = t.Column<int>(nullable: false),
            Note = t.Column<string>(maxLength: 500, nullable: true),
            MarkedAt = t.Column<DateTime>(nullable: true),
            MarkedBy = t.Column<string>(maxLength: 256, nullable: true),
            ReviewNote = t.Column<string>(maxLength: 500, nullable: true),
            ReviewedAt = t.Column<DateTime>(nullable: true),
            ReviewedBy = t.Column<string>(maxLength: 256, nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_CampaignProgress", x => x.Id);
            t.ForeignKey("FK_CampaignProgress_Campaigns_CampaignId", x => x.CampaignId, "Campaigns", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_CampaignProgress_CampaignPhases_PhaseId", x => x.PhaseId, "CampaignPhases", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_CampaignProgress_Schools_SchoolId", x => x.SchoolId, "Schools", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_CampaignProgress_PhaseId_SchoolId", "CampaignProgress", ["PhaseId", "SchoolId"], unique: true);
        mb.CreateIndex("IX_CampaignProgress_CampaignId_SchoolId", "CampaignProgress", ["CampaignId", "SchoolId"]);
        mb.CreateIndex("IX_CampaignProgress_Path", "CampaignProgress", "Path");
        mb.CreateIndex("IX_CampaignProgress_SchoolId", "CampaignProgress", "SchoolId");
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropTable("CampaignProgress");
        mb.DropTable("CampaignPhases");
        mb.DropTable("Campaigns");
        mb.DropTable("Reports");
    }
}

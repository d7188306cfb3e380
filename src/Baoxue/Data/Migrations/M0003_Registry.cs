using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>The student registry: students, guardians, group tags, status changes and their approvals, roll calls.</summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261123000003_Registry")]
public sealed class M0003_Registry : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("Students", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            RegistryNumber = t.Column<string>(maxLength: 24, nullable: false),
            IdNumberCipher = t.Column<string>(maxLength: 128, nullable: true),
            IdNumberHash = t.Column<string>(maxLength: 64, nullable: true),
            IdNumberMasked = t.Column<string>(maxLength: 18, nullable: true),
            Name = t.Column<string>(maxLength: 64, nullable: false),
            Gender = t.Column<int>(nullable: false),
            BirthDate = t.Column<DateOnly>(nullable: false),
            Ethnicity = t.Column<string>(maxLength: 2, nullable: false),
            HouseholdRegionCode = t.Column<string>(maxLength: 6, nullable: true),
            HouseholdAddress = t.Column<string>(maxLength: 200, nullable: true),
            HouseholdType = t.Column<int>(nullable: true),
            Residence = t.Column<string>(maxLength: 200, nullable: true),
            SchoolId = t.Column<Guid>(nullable: false),
            ClassId = t.Column<Guid>(nullable: true),
            Grade = t.Column<int>(nullable: false),
            Status = t.Column<int>(nullable: false),
            EnrolledOn = t.Column<DateOnly>(nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_Students", x => x.Id);
            t.ForeignKey("FK_Students_Schools_SchoolId", x => x.SchoolId, "Schools", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_Students_Classes_ClassId", x => x.ClassId, "Classes", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_Students_RegistryNumber", "Students", "RegistryNumber");
        mb.CreateIndex("IX_Students_IdNumberHash", "Students", "IdNumberHash", unique: true);
        mb.CreateIndex("IX_Students_Path", "Students", "Path");
        mb.CreateIndex("IX_Students_SchoolId_Status", "Students", ["SchoolId", "Status"]);
        mb.CreateIndex("IX_Students_ClassId", "Students", "ClassId");

        mb.CreateTable("Guardians", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            StudentId = t.Column<Guid>(nullable: false),
            Relation = t.Column<int>(nullable: false),
            Name = t.Column<string>(maxLength: 64, nullable: false),
            Phone = t.Column<string>(maxLength: 32, nullable: true),
            WorksAway = t.Column<bool>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_Guardians", x => x.Id);
            t.ForeignKey("FK_Guardians_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Cascade);
        });
        mb.CreateIndex("IX_Guardians_StudentId", "Guardians", "StudentId");

        mb.CreateTable("GroupTags", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            StudentId = t.Column<Guid>(nullable: false),
            Kind = t.Column<int>(nullable: false),
            DisabilityType = t.Column<string>(maxLength: 16, nullable: true),
            DisabilityGrade = t.Column<int>(nullable: true),
            Source = t.Column<string>(maxLength: 64, nullable: true),
            StartedOn = t.Column<DateOnly>(nullable: false),
            EndedOn = t.Column<DateOnly>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_GroupTags", x => x.Id);
            t.ForeignKey("FK_GroupTags_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Cascade);
        });
        mb.CreateIndex("IX_GroupTags_Kind_StudentId", "GroupTags", ["Kind", "StudentId"]);
        mb.CreateIndex("IX_GroupTags_StudentId", "GroupTags", "StudentId");

        mb.CreateTable("StatusChanges", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            StudentId = t.Column<Guid>(nullable: false),
            Kind = t.Column<int>(nullable: false),
            State = t.Column<int>(nullable: false),
            Reason = t.Column<string>(maxLength: 500, nullable: false),
            EffectiveOn = t.Column<DateOnly>(nullable: false),
            RequestedAt = t.Column<DateTime>(nullable: false),
            RequestedBy = t.Column<string>(maxLength: 256, nullable: false),
            FromSchoolId = t.Column<Guid>(nullable: false),
            FromClassId = t.Column<Guid>(nullable: true),
            ToSchoolId = t.Column<Guid>(nullable: true),
            ToClassId = t.Column<Guid>(nullable: true),
            ExternalSchool = t.Column<string>(maxLength: 100, nullable: true),
            ExpectedReturnOn = t.Column<DateOnly>(nullable: true),
            Evidence = t.Column<string>(maxLength: 500, nullable: true),
            AwaitingStage = t.Column<int>(nullable: true),
            DecidedAt = t.Column<DateTime>(nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            TargetPath = t.Column<string>(maxLength: 256, nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_StatusChanges", x => x.Id);
            t.ForeignKey("FK_StatusChanges_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_StatusChanges_Path", "StatusChanges", "Path");
        mb.CreateIndex("IX_StatusChanges_TargetPath", "StatusChanges", "TargetPath");
        mb.CreateIndex("IX_StatusChanges_StudentId_State", "StatusChanges", ["StudentId", "State"]);

        mb.CreateTable("StatusApprovals", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            StatusChangeId = t.Column<Guid>(nullable: false),
            Stage = t.Column<int>(nullable: false),
            Approved = t.Column<bool>(nullable: false),
            DecidedBy = t.Column<string>(maxLength: 256, nullable: false),
            DecidedAt = t.Column<DateTime>(nullable: false),
            Comment = t.Column<string>(maxLength: 500, nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_StatusApprovals", x => x.Id);
            t.ForeignKey("FK_StatusApprovals_StatusChanges_StatusChangeId", x => x.StatusChangeId, "StatusChanges", "Id", onDelete: ReferentialAction.Cascade);
        });
        mb.CreateIndex("IX_StatusApprovals_StatusChangeId", "StatusApprovals", "StatusChangeId");

        mb.CreateTable("RollCallCampaigns", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            SchoolYearId = t.Column<Guid>(nullable: false),
            Title = t.Column<string>(maxLength: 100, nullable: false),
            OpensOn = t.Column<DateOnly>(nullable: false),
            ClosesOn = t.Column<DateOnly>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_RollCallCampaigns", x => x.Id));
        mb.CreateIndex("IX_RollCallCampaigns_Path", "RollCallCampaigns", "Path");

        mb.CreateTable("RollCallReturns", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            CampaignId = t.Column<Guid>(nullable: false),
            ClassId = t.Column<Guid>(nullable: false),
            SchoolId = t.Column<Guid>(nullable: false),
            State = t.Column<int>(nullable: false),
            ConfirmedBy = t.Column<string>(maxLength: 256, nullable: true),
            ConfirmedAt = t.Column<DateTime>(nullable: true),
            PrincipalAttestedBy = t.Column<string>(maxLength: 256, nullable: true),
            PrincipalAttestedAt = t.Column<DateTime>(nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_RollCallReturns", x => x.Id);
            t.ForeignKey("FK_RollCallReturns_RollCallCampaigns_CampaignId", x => x.CampaignId, "RollCallCampaigns", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_RollCallReturns_Classes_ClassId", x => x.ClassId, "Classes", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_RollCallReturns_CampaignId_ClassId", "RollCallReturns", ["CampaignId", "ClassId"], unique: true);
        mb.CreateIndex("IX_RollCallReturns_Path", "RollCallReturns", "Path");
        mb.CreateIndex("IX_RollCallReturns_ClassId", "RollCallReturns", "ClassId");

        mb.CreateTable("RollCallMarks", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            ReturnId = t.Column<Guid>(nullable: false),
            StudentId = t.Column<Guid>(nullable: true),
            Kind = t.Column<int>(nullable: false),
            Name = t.Column<string>(maxLength: 64, nullable: true),
            Reason = t.Column<string>(maxLength: 200, nullable: true),
            ResolvedAt = t.Column<DateTime>(nullable: true),
            Resolution = t.Column<string>(maxLength: 500, nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_RollCallMarks", x => x.Id);
            t.ForeignKey("FK_RollCallMarks_RollCallReturns_ReturnId", x => x.ReturnId, "RollCallReturns", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_RollCallMarks_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_RollCallMarks_ReturnId", "RollCallMarks", "ReturnId");
        mb.CreateIndex("IX_RollCallMarks_StudentId", "RollCallMarks", "StudentId");
    }

    protected override void Down(MigrationBuilder mb)
    {
        foreach (var table in new[] { "RollCallMarks", "RollCallReturns", "RollCallCampaigns", "StatusApprovals", "StatusChanges", "GroupTags", "Guardians", "Students" })
        {
            mb.DropTable(table);
        }
    }
}

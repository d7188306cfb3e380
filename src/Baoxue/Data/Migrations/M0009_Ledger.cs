using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>
/// The dropout ledger (台账): entries with their verification, cases with their two responsible lines, persuasion
/// attempts, the receipts of reports; one open entry per child as a partial unique index (decision 0020).
/// </summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000009_Ledger")]
public sealed class M0009_Ledger : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("LedgerEntries", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Version = t.Column<int>(nullable: false),
            ChildKey = t.Column<string>(maxLength: 160, nullable: false),
            StudentId = t.Column<Guid>(nullable: true),
            Name = t.Column<string>(maxLength: 64, nullable: false),
            NameKey = t.Column<string>(maxLength: Domain.PinyinOrder.MaxKeyLength, nullable: false),
            IdNumberCipher = t.Column<string>(maxLength: 128, nullable: true),
            IdNumberHash = t.Column<string>(maxLength: 64, nullable: true),
            IdNumberMasked = t.Column<string>(maxLength: 18, nullable: true),
            BirthDate = t.Column<DateOnly>(nullable: false),
            Gender = t.Column<int>(nullable: false),
            HouseholdDivisionCode = t.Column<string>(maxLength: 12, nullable: true),
            HouseholdAddress = t.Column<string>(maxLength: 200, nullable: true),
            SchoolId = t.Column<Guid>(nullable: true),
            Grade = t.Column<int>(nullable: true),
            List = t.Column<int>(nullable: false),
            State = t.Column<int>(nullable: false),
            Source = t.Column<int>(nullable: false),
            SourceKey = t.Column<string>(maxLength: 200, nullable: false),
            Reason = t.Column<string>(maxLength: 500, nullable: false),
            ReportedOn = t.Column<DateOnly>(nullable: false),
            ReportedAt = t.Column<DateTime>(nullable: false),
            ReportedBy = t.Column<string>(maxLength: 256, nullable: false),
            IsNew = t.Column<bool>(nullable: false),
            Outcome = t.Column<int>(nullable: true),
            ElsewhereSchool = t.Column<string>(maxLength: 100, nullable: true),
            ElsewhereInCounty = t.Column<bool>(nullable: true),
            VerificationNote = t.Column<string>(maxLength: 1000, nullable: true),
            VerifiedBy = t.Column<string>(maxLength: 256, nullable: true),
            VerifiedAt = t.Column<DateTime>(nullable: true),
            ApprovedBy = t.Column<string>(maxLength: 256, nullable: true),
            ApprovedAt = t.Column<DateTime>(nullable: true),
            ApprovalNote = t.Column<string>(maxLength: 500, nullable: true),
            Closure = t.Column<int>(nullable: true),
            ClosedOn = t.Column<DateOnly>(nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            ResidencePath = t.Column<string>(maxLength: 256, nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_LedgerEntries", x => x.Id);
            t.ForeignKey("FK_LedgerEntries_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_LedgerEntries_Schools_SchoolId", x => x.SchoolId, "Schools", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex(LedgerModel.OneOpenEntryIndex, "LedgerEntries", "ChildKey", unique: true, filter: "\"State\" <> 5");
        mb.CreateIndex("IX_LedgerEntries_Path", "LedgerEntries", "Path");
        mb.CreateIndex("IX_LedgerEntries_ResidencePath", "LedgerEntries", "ResidencePath");
        mb.CreateIndex("IX_LedgerEntries_State_List", "LedgerEntries", ["State", "List"]);
        mb.CreateIndex("IX_LedgerEntries_StudentId", "LedgerEntries", "StudentId");
        mb.CreateIndex("IX_LedgerEntries_IdNumberHash", "LedgerEntries", "IdNumberHash");
        mb.CreateIndex("IX_LedgerEntries_SchoolId", "LedgerEntries", "SchoolId");

        mb.CreateTable("LedgerCases", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Version = t.Column<int>(nullable: false),
            EntryId = t.Column<Guid>(nullable: false),
            State = t.Column<int>(nullable: false),
            OpenedAt = t.Column<DateTime>(nullable: false),
            EducationStaffId = t.Column<Guid>(nullable: true),
            GovernmentStaffId = t.Column<Guid>(nullable: true),
            AssignedBy = t.Column<string>(maxLength: 256, nullable: true),
            AssignedAt = t.Column<DateTime>(nullable: true),
            Escalation = t.Column<int>(nullable: false),
            ReturnedOn = t.Column<DateOnly>(nullable: true),
            Placement = t.Column<int>(nullable: true),
            PlacementSchoolId = t.Column<Guid>(nullable: true),
            PlacementNote = t.Column<string>(maxLength: 500, nullable: true),
            SuggestedGrade = t.Column<int>(nullable: true),
            FollowUpUntil = t.Column<DateOnly>(nullable: true),
            SupportPlan = t.Column<string>(maxLength: 1000, nullable: true),
            CloseReason = t.Column<string>(maxLength: 500, nullable: true),
            CloseRequestedBy = t.Column<string>(maxLength: 256, nullable: true),
            CloseRequestedAt = t.Column<DateTime>(nullable: true),
            ClosedBy = t.Column<string>(maxLength: 256, nullable: true),
            ClosedAt = t.Column<DateTime>(nullable: true),
            ReopenCount = t.Column<int>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            ResidencePath = t.Column<string>(maxLength: 256, nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_LedgerCases", x => x.Id);
            t.ForeignKey("FK_LedgerCases_LedgerEntries_EntryId", x => x.EntryId, "LedgerEntries", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_LedgerCases_Staff_EducationStaffId", x => x.EducationStaffId, "Staff", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_LedgerCases_Staff_GovernmentStaffId", x => x.GovernmentStaffId, "Staff", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_LedgerCases_Schools_PlacementSchoolId", x => x.PlacementSchoolId, "Schools", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_LedgerCases_EntryId", "LedgerCases", "EntryId", unique: true);
        mb.CreateIndex("IX_LedgerCases_Path", "LedgerCases", "Path");
        mb.CreateIndex("IX_LedgerCases_ResidencePath", "LedgerCases", "ResidencePath");
        mb.CreateIndex("IX_LedgerCases_State", "LedgerCases", "State");
        mb.CreateIndex("IX_LedgerCases_EducationStaffId", "LedgerCases", "EducationStaffId");
        mb.CreateIndex("IX_LedgerCases_GovernmentStaffId", "LedgerCases", "GovernmentStaffId");
        mb.CreateIndex("IX_LedgerCases_PlacementSchoolId", "LedgerCases", "PlacementSchoolId");

        mb.CreateTable("PersuasionAttempts", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            CaseId = t.Column<Guid>(nullable: false),
            On = t.Column<DateOnly>(nullable: false),
            People = t.Column<string>(maxLength: 200, nullable: false),
            Method = t.Column<int>(nullable: false),
            Met = t.Column<string>(maxLength: 100, nullable: true),
            Said = t.Column<string>(maxLength: 2000, nullable: false),
            GuardianAttitude = t.Column<int>(nullable: false),
            ChildAttitude = t.Column<int>(nullable: false),
            Outcome = t.Column<int>(nullable: false),
            NextStep = t.Column<string>(maxLength: 500, nullable: true),
            NextOn = t.Column<DateOnly>(nullable: true),
            RecordedBy = t.Column<string>(maxLength: 256, nullable: false),
            RecordedAt = t.Column<DateTime>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            ResidencePath = t.Column<string>(maxLength: 256, nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_PersuasionAttempts", x => x.Id);
            t.ForeignKey("FK_PersuasionAttempts_LedgerCases_CaseId", x => x.CaseId, "LedgerCases", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_PersuasionAttempts_CaseId_On", "PersuasionAttempts", ["CaseId", "On"]);
        mb.CreateIndex("IX_PersuasionAttempts_Path", "PersuasionAttempts", "Path");

        mb.CreateTable("LedgerReportReceipts", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            EntryId = t.Column<Guid>(nullable: false),
            Source = t.Column<int>(nullable: false),
            SourceKey = t.Column<string>(maxLength: 200, nullable: false),
            List = t.Column<int>(nullable: false),
            Reason = t.Column<string>(maxLength: 500, nullable: false),
            ReportedOn = t.Column<DateOnly>(nullable: false),
            ReceivedAt = t.Column<DateTime>(nullable: false),
            Outcome = t.Column<int>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            ResidencePath = t.Column<string>(maxLength: 256, nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_LedgerReportReceipts", x => x.Id);
            t.ForeignKey("FK_LedgerReportReceipts_LedgerEntries_EntryId", x => x.EntryId, "LedgerEntries", "Id", onDelete: ReferentialAction.Cascade);
        });
        mb.CreateIndex("IX_LedgerReportReceipts_Source_SourceKey", "LedgerReportReceipts", ["Source", "SourceKey"], unique: true);
        mb.CreateIndex("IX_LedgerReportReceipts_EntryId", "LedgerReportReceipts", "EntryId");
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropTable("LedgerReportReceipts");
        mb.DropTable("PersuasionAttempts");
        mb.DropTable("LedgerCases");
        mb.DropTable("LedgerEntries");
    }
}

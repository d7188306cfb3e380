using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>Household data (户籍数据), reconciliation runs, their per-child results and the scored candidates (人籍比对).</summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000014_Reconciliation")]
public sealed class M0014_Reconciliation : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("HouseholdChildren", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Name = t.Column<string>(maxLength: 64, nullable: false),
            NameKey = t.Column<string>(maxLength: 256, nullable: false),
            IdNumberCipher = t.Column<string>(maxLength: 128, nullable: true),
            IdNumberHash = t.Column<string>(maxLength: 64, nullable: true),
            IdNumberMasked = t.Column<string>(maxLength: 18, nullable: true),
            Gender = t.Column<int>(nullable: false),
            BirthDate = t.Column<DateOnly>(nullable: false),
            Ethnicity = t.Column<string>(maxLength: 2, nullable: true),
            DivisionCode = t.Column<string>(maxLength: 12, nullable: false),
            HouseholdAddress = t.Column<string>(maxLength: 200, nullable: true),
            HouseholdType = t.Column<int>(nullable: true),
            RelationToHead = t.Column<string>(maxLength: 16, nullable: true),
            GuardianName = t.Column<string>(maxLength: 64, nullable: true),
            GuardianPhone = t.Column<string>(maxLength: 32, nullable: true),
            SecondGuardianName = t.Column<string>(maxLength: 64, nullable: true),
            SecondGuardianPhone = t.Column<string>(maxLength: 32, nullable: true),
            Residency = t.Column<int>(nullable: false),
            ImportedAt = t.Column<DateTime>(nullable: false),
            MergeNote = t.Column<string>(maxLength: 500, nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_HouseholdChildren", x => x.Id));
        mb.CreateIndex("IX_HouseholdChildren_IdNumberHash", "HouseholdChildren", "IdNumberHash", unique: true);
        mb.CreateIndex("IX_HouseholdChildren_Path_NameKey_Id", "HouseholdChildren", ["Path", "NameKey", "Id"]);

        mb.CreateTable("ReconciliationRuns", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            CutOff = t.Column<DateOnly>(nullable: false),
            StartedAt = t.Column<DateTime>(nullable: false),
            StartedBy = t.Column<string>(maxLength: 256, nullable: false),
            Children = t.Column<int>(nullable: false),
            Exact = t.Column<int>(nullable: false),
            Candidates = t.Column<int>(nullable: false),
            NotFound = t.Column<int>(nullable: false),
            Reported = t.Column<int>(nullable: false),
            PairsScored = t.Column<long>(nullable: false),
            Milliseconds = t.Column<int>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ReconciliationRuns", x => x.Id));
        mb.CreateIndex("IX_ReconciliationRuns_Path_StartedAt", "ReconciliationRuns", ["Path", "StartedAt"]);

        mb.CreateTable("ReconciliationResults", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            HouseholdChildId = t.Column<Guid>(nullable: false),
            RunId = t.Column<Guid>(nullable: false),
            AgeBand = t.Column<int>(nullable: false),
            Outcome = t.Column<int>(nullable: false),
            Match = t.Column<int>(nullable: false),
            StudentId = t.Column<Guid>(nullable: true),
            SchoolId = t.Column<Guid>(nullable: true),
            SchoolName = t.Column<string>(maxLength: 100, nullable: true),
            NearestSchoolId = t.Column<Guid>(nullable: true),
            Evidence = t.Column<string>(maxLength: 500, nullable: true),
            DecidedBy = t.Column<string>(maxLength: 256, nullable: true),
            DecidedAt = t.Column<DateTime>(nullable: true),
            LedgerEntryId = t.Column<Guid>(nullable: true),
            UpdatedAt = t.Column<DateTime>(nullable: false),
            Version = t.Column<int>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_ReconciliationResults", x => x.Id);
            t.ForeignKey("FK_ReconciliationResults_HouseholdChildren_HouseholdChildId", x => x.HouseholdChildId, "HouseholdChildren", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_ReconciliationResults_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.SetNull);
            t.ForeignKey("FK_ReconciliationResults_Schools_SchoolId", x => x.SchoolId, "Schools", "Id", onDelete: ReferentialAction.SetNull);
            t.ForeignKey("FK_ReconciliationResults_Schools_NearestSchoolId", x => x.NearestSchoolId, "Schools", "Id", onDelete: ReferentialAction.SetNull);
        });
        mb.CreateIndex("IX_ReconciliationResults_HouseholdChildId", "ReconciliationResults", "HouseholdChildId", unique: true);
        mb.CreateIndex("IX_ReconciliationResults_Path_Outcome", "ReconciliationResults", ["Path", "Outcome"]);
        mb.CreateIndex("IX_ReconciliationResults_StudentId", "ReconciliationResults", "StudentId");
        mb.CreateIndex("IX_ReconciliationResults_NearestSchoolId", "ReconciliationResults", "NearestSchoolId");
        mb.CreateIndex("IX_ReconciliationResults_SchoolId", "ReconciliationResults", "SchoolId");

        mb.CreateTable("MatchCandidates", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            ResultId = t.Column<Guid>(nullable: false),
            StudentId = t.Column<Guid>(nullable: false),
            Score = t.Column<int>(nullable: false),
            NameSimilarity = t.Column<double>(nullable: false),
            NameAgreement = t.Column<int>(nullable: false),
            Days = t.Column<int>(nullable: false),
            Place = t.Column<int>(nullable: false),
            State = t.Column<int>(nullable: false),
            DecidedBy = t.Column<string>(maxLength: 256, nullable: true),
            DecidedAt = t.Column<DateTime>(nullable: true),
            Version = t.Column<int>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_MatchCandidates", x => x.Id);
            t.ForeignKey("FK_MatchCandidates_ReconciliationResults_ResultId", x => x.ResultId, "ReconciliationResults", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_MatchCandidates_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Cascade);
        });
        mb.CreateIndex("IX_MatchCandidates_ResultId_StudentId", "MatchCandidates", ["ResultId", "StudentId"], unique: true);
        mb.CreateIndex("IX_MatchCandidates_State_Score", "MatchCandidates", ["State", "Score"]);
        mb.CreateIndex("IX_MatchCandidates_Path", "MatchCandidates", "Path");
        mb.CreateIndex("IX_MatchCandidates_StudentId", "MatchCandidates", "StudentId");
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropTable("MatchCandidates");
        mb.DropTable("ReconciliationResults");
        mb.DropTable("ReconciliationRuns");
        mb.DropTable("HouseholdChildren");
    }
}

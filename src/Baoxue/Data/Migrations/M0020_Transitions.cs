using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>Transition checks (小升初, 幼升小), entry notices (入学通知书) and the census (学户普查).</summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000020_Transitions")]
public sealed class M0020_Transitions : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("TransitionCases", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Kind = t.Column<int>(nullable: false),
            Year = t.Column<int>(nullable: false),
            SubjectId = t.Column<Guid>(nullable: false),
            Name = t.Column<string>(maxLength: 64, nullable: false),
            NameKey = t.Column<string>(maxLength: 256, nullable: false),
            Gender = t.Column<int>(nullable: false),
            BirthDate = t.Column<DateOnly>(nullable: false),
            IdNumberMasked = t.Column<string>(maxLength: 18, nullable: true),
            From = t.Column<string>(maxLength: 100, nullable: true),
            State = t.Column<int>(nullable: false),
            FoundStudentId = t.Column<Guid>(nullable: true),
            FollowUp = t.Column<string>(maxLength: 500, nullable: true),
            FollowUpBy = t.Column<string>(maxLength: 256, nullable: true),
            FollowUpAt = t.Column<DateTime>(nullable: true),
            LedgerEntryId = t.Column<Guid>(nullable: true),
            CheckedAt = t.Column<DateTime>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            Version = t.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_TransitionCases", x => x.Id));
        mb.CreateIndex("IX_TransitionCases_Kind_Year_SubjectId", "TransitionCases", ["Kind", "Year", "SubjectId"], unique: true);
        mb.CreateIndex("IX_TransitionCases_Path_Kind_Year", "TransitionCases", ["Path", "Kind", "Year"]);

        mb.CreateTable("EntryNotices", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            HouseholdChildId = t.Column<Guid>(nullable: false),
            SchoolId = t.Column<Guid>(nullable: false),
            Year = t.Column<int>(nullable: false),
            Sequence = t.Column<int>(nullable: false),
            Number = t.Column<string>(maxLength: 32, nullable: false),
            IssuedOn = t.Column<DateOnly>(nullable: false),
            IssuedBy = t.Column<string>(maxLength: 256, nullable: false),
            State = t.Column<int>(nullable: false),
            ReturnedOn = t.Column<DateOnly>(nullable: true),
            ReturnedBy = t.Column<string>(maxLength: 256, nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            Version = t.Column<int>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_EntryNotices", x => x.Id);
            t.ForeignKey("FK_EntryNotices_HouseholdChildren_HouseholdChildId", x => x.HouseholdChildId, "HouseholdChildren", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_EntryNotices_Schools_SchoolId", x => x.SchoolId, "Schools", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_EntryNotices_HouseholdChildId_Year", "EntryNotices", ["HouseholdChildId", "Year"], unique: true);
        mb.CreateIndex("IX_EntryNotices_SchoolId_Year_Sequence", "EntryNotices", ["SchoolId", "Year", "Sequence"]);
        mb.CreateIndex("IX_EntryNotices_Path", "EntryNotices", "Path");

        mb.CreateTable("CensusVisits", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            DivisionCode = t.Column<string>(maxLength: 12, nullable: false),
            HeadName = t.Column<string>(maxLength: 64, nullable: false),
            Address = t.Column<string>(maxLength: 200, nullable: false),
            VisitedOn = t.Column<DateOnly>(nullable: false),
            RecordedBy = t.Column<string>(maxLength: 256, nullable: false),
            RecordedAt = t.Column<DateTime>(nullable: false),
            ClientKey = t.Column<string>(maxLength: 64, nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_CensusVisits", x => x.Id));
        mb.CreateIndex("IX_CensusVisits_ClientKey", "CensusVisits", "ClientKey", unique: true);
        mb.CreateIndex("IX_CensusVisits_Path_VisitedOn", "CensusVisits", ["Path", "VisitedOn"]);

        mb.CreateTable("CensusChildren", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            VisitId = t.Column<Guid>(nullable: false),
            Name = t.Column<string>(maxLength: 64, nullable: false),
            IdNumberCipher = t.Column<string>(maxLength: 128, nullable: true),
            IdNumberHash = t.Column<string>(maxLength: 64, nullable: true),
            IdNumberMasked = t.Column<string>(maxLength: 18, nullable: true),
            Gender = t.Column<int>(nullable: false),
            BirthDate = t.Column<DateOnly>(nullable: false),
            NoRegistration = t.Column<bool>(nullable: false),
            Floating = t.Column<bool>(nullable: false),
            SchoolSaid = t.Column<string>(maxLength: 100, nullable: true),
            Match = t.Column<int>(nullable: false),
            StudentId = t.Column<Guid>(nullable: true),
            HouseholdChildId = t.Column<Guid>(nullable: true),
            SchoolName = t.Column<string>(maxLength: 100, nullable: true),
            LedgerEntryId = t.Column<Guid>(nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_CensusChildren", x => x.Id);
            t.ForeignKey("FK_CensusChildren_CensusVisits_VisitId", x => x.VisitId, "CensusVisits", "Id", onDelete: ReferentialAction.Cascade);
        });
        mb.CreateIndex("IX_CensusChildren_VisitId", "CensusChildren", "VisitId");
        mb.CreateIndex("IX_CensusChildren_Path_Match", "CensusChildren", ["Path", "Match"]);
        mb.CreateIndex("IX_CensusChildren_IdNumberHash", "CensusChildren", "IdNumberHash");
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropTable("CensusChildren");
        mb.DropTable("CensusVisits");
        mb.DropTable("EntryNotices");
        mb.DropTable("TransitionCases");
    }
}

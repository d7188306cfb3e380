using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>Holiday plans (寒暑假控辍预案) with their watched children and home visits, and the term-start return check (开学返校核查).</summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000023_Holidays")]
public sealed class M0023_Holidays : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("HolidayPlans", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            SchoolId = t.Column<Guid>(nullable: false),
            StartYear = t.Column<int>(nullable: false),
            Kind = t.Column<int>(nullable: false),
            State = t.Column<int>(nullable: false),
            Measures = t.Column<string>(maxLength: 2000, nullable: true),
            CreatedBy = t.Column<string>(maxLength: 256, nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            SubmittedBy = t.Column<string>(maxLength: 256, nullable: true),
            SubmittedAt = t.Column<DateTime>(nullable: true),
            ReturnedBy = t.Column<string>(maxLength: 256, nullable: true),
            ReturnedAt = t.Column<DateTime>(nullable: true),
            ReturnReason = t.Column<string>(maxLength: 500, nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_HolidayPlans", x => x.Id);
            t.ForeignKey("FK_HolidayPlans_Schools_SchoolId", x => x.SchoolId, "Schools", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_HolidayPlans_SchoolId_StartYear_Kind", "HolidayPlans", ["SchoolId", "StartYear", "Kind"], unique: true);
        mb.CreateIndex("IX_HolidayPlans_Path_StartYear_Kind", "HolidayPlans", ["Path", "StartYear", "Kind"]);

        mb.CreateTable("HolidayWatches", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            PlanId = t.Column<Guid>(nullable: false),
            StudentId = t.Column<Guid>(nullable: false),
            StaffId = t.Column<Guid>(nullable: true),
            Why = t.Column<string>(maxLength: 200, nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_HolidayWatches", x => x.Id);
            t.ForeignKey("FK_HolidayWatches_HolidayPlans_PlanId", x => x.PlanId, "HolidayPlans", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_HolidayWatches_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_HolidayWatches_Staff_StaffId", x => x.StaffId, "Staff", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_HolidayWatches_PlanId_StudentId", "HolidayWatches", ["PlanId", "StudentId"], unique: true);
        mb.CreateIndex("IX_HolidayWatches_Path", "HolidayWatches", "Path");
        mb.CreateIndex("IX_HolidayWatches_StudentId", "HolidayWatches", "StudentId");
        mb.CreateIndex("IX_HolidayWatches_StaffId", "HolidayWatches", "StaffId");

        mb.CreateTable("HolidayVisitPlans", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            PlanId = t.Column<Guid>(nullable: false),
            StudentId = t.Column<Guid>(nullable: false),
            StaffId = t.Column<Guid>(nullable: false),
            PlannedOn = t.Column<DateOnly>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_HolidayVisitPlans", x => x.Id);
            t.ForeignKey("FK_HolidayVisitPlans_HolidayPlans_PlanId", x => x.PlanId, "HolidayPlans", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_HolidayVisitPlans_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_HolidayVisitPlans_Staff_StaffId", x => x.StaffId, "Staff", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_HolidayVisitPlans_PlanId_PlannedOn", "HolidayVisitPlans", ["PlanId", "PlannedOn"]);
        mb.CreateIndex("IX_HolidayVisitPlans_Path", "HolidayVisitPlans", "Path");
        mb.CreateIndex("IX_HolidayVisitPlans_StudentId", "HolidayVisitPlans", "StudentId");
        mb.CreateIndex("IX_HolidayVisitPlans_StaffId", "HolidayVisitPlans", "StaffId");

        mb.CreateTable("HolidayVisits", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            PlanId = t.Column<Guid>(nullable: false),
            StudentId = t.Column<Guid>(nullable: false),
            VisitedOn = t.Column<DateOnly>(nullable: false),
            Met = t.Column<string>(maxLength: 64, nullable: false),
            Said = t.Column<string>(maxLength: 500, nullable: false),
            ClientKey = t.Column<string>(maxLength: 64, nullable: false),
            RecordedBy = t.Column<string>(maxLength: 256, nullable: false),
            RecordedAt = t.Column<DateTime>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_HolidayVisits", x => x.Id);
            t.ForeignKey("FK_HolidayVisits_HolidayPlans_PlanId", x => x.PlanId, "HolidayPlans", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_HolidayVisits_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_HolidayVisits_ClientKey", "HolidayVisits", "ClientKey", unique: true);
        mb.CreateIndex("IX_HolidayVisits_PlanId_StudentId", "HolidayVisits", ["PlanId", "StudentId"]);
        mb.CreateIndex("IX_HolidayVisits_Path", "HolidayVisits", "Path");
        mb.CreateIndex("IX_HolidayVisits_StudentId", "HolidayVisits", "StudentId");

        mb.CreateTable("ReturnChecks", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            TermId = t.Column<Guid>(nullable: false),
            ClassId = t.Column<Guid>(nullable: false),
            SchoolId = t.Column<Guid>(nullable: false),
            Date = t.Column<DateOnly>(nullable: false),
            OnRoll = t.Column<int>(nullable: false),
            NotBack = t.Column<int>(nullable: false),
            Unexcused = t.Column<int>(nullable: false),
            ConfirmedBy = t.Column<string>(maxLength: 256, nullable: false),
            ConfirmedAt = t.Column<DateTime>(nullable: false),
            ClientKey = t.Column<string>(maxLength: 64, nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_ReturnChecks", x => x.Id);
            t.ForeignKey("FK_ReturnChecks_Terms_TermId", x => x.TermId, "Terms", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_ReturnChecks_Classes_ClassId", x => x.ClassId, "Classes", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_ReturnChecks_TermId_ClassId", "ReturnChecks", ["TermId", "ClassId"], unique: true);
        mb.CreateIndex("IX_ReturnChecks_ClientKey", "ReturnChecks", "ClientKey", unique: true);
        mb.CreateIndex("IX_ReturnChecks_Path_TermId", "ReturnChecks", ["Path", "TermId"]);
        mb.CreateIndex("IX_ReturnChecks_ClassId", "ReturnChecks", "ClassId");

        mb.CreateTable("ReturnCheckStudents", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            CheckId = t.Column<Guid>(nullable: false),
            StudentId = t.Column<Guid>(nullable: false),
            Reason = t.Column<int>(nullable: false),
            Note = t.Column<string>(maxLength: 200, nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_ReturnCheckStudents", x => x.Id);
            t.ForeignKey("FK_ReturnCheckStudents_ReturnChecks_CheckId", x => x.CheckId, "ReturnChecks", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_ReturnCheckStudents_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_ReturnCheckStudents_CheckId_StudentId", "ReturnCheckStudents", ["CheckId", "StudentId"], unique: true);
        mb.CreateIndex("IX_ReturnCheckStudents_StudentId", "ReturnCheckStudents", "StudentId");
        mb.CreateIndex("IX_ReturnCheckStudents_Path", "ReturnCheckStudents", "Path");
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropTable("ReturnCheckStudents");
        mb.DropTable("ReturnChecks");
        mb.DropTable("HolidayVisits");
        mb.DropTable("HolidayVisitPlans");
        mb.DropTable("HolidayWatches");
        mb.DropTable("HolidayPlans");
    }
}

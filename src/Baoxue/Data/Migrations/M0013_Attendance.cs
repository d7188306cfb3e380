using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>
/// Attendance (issue 10): the school calendar's exceptional days, daily attendance (one row per class per day, one per
/// exception), leave, the absence clock and its follow-ups, the daily run. On PostgreSQL also Quartz.NET's job store,
/// in a schema of its own ("quartz") so that it stays outside the application's model.
/// </summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000013_Attendance")]
public sealed class M0013_Attendance : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("CalendarDays", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Date = t.Column<DateOnly>(nullable: false),
            IsSchoolDay = t.Column<bool>(nullable: false),
            Name = t.Column<string>(maxLength: 64, nullable: false),
            SchoolId = t.Column<Guid>(nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_CalendarDays", x => x.Id);
            t.ForeignKey("FK_CalendarDays_Schools_SchoolId", x => x.SchoolId, "Schools", "Id", onDelete: ReferentialAction.Cascade);
        });
        mb.CreateIndex("IX_CalendarDays_Path_Date", "CalendarDays", ["Path", "Date"], unique: true);
        mb.CreateIndex("IX_CalendarDays_Date", "CalendarDays", "Date");
        mb.CreateIndex("IX_CalendarDays_SchoolId", "CalendarDays", "SchoolId");

        mb.CreateTable("AttendanceRecords", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Version = t.Column<int>(nullable: false),
            ClassId = t.Column<Guid>(nullable: false),
            SchoolId = t.Column<Guid>(nullable: false),
            Date = t.Column<DateOnly>(nullable: false),
            Lesson = t.Column<int>(nullable: false),
            CurrentSubmissionId = t.Column<Guid>(nullable: false),
            Revision = t.Column<int>(nullable: false),
            OnRoll = t.Column<int>(nullable: false),
            Absent = t.Column<int>(nullable: false),
            FirstSubmittedAt = t.Column<DateTime>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AttendanceRecords", x => x.Id);
            t.ForeignKey("FK_AttendanceRecords_Classes_ClassId", x => x.ClassId, "Classes", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_AttendanceRecords_ClassId_Date_Lesson", "AttendanceRecords", ["ClassId", "Date", "Lesson"], unique: true);
        mb.CreateIndex("IX_AttendanceRecords_Path_Date", "AttendanceRecords", ["Path", "Date"]);
        mb.CreateIndex("IX_AttendanceRecords_SchoolId_Date", "AttendanceRecords", ["SchoolId", "Date"]);

        mb.CreateTable("AttendanceSubmissions", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            RecordId = t.Column<Guid>(nullable: false),
            ClientKey = t.Column<string>(maxLength: 64, nullable: false),
            Revision = t.Column<int>(nullable: false),
            SubmittedBy = t.Column<string>(maxLength: 256, nullable: false),
            SubmittedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AttendanceSubmissions", x => x.Id);
            t.ForeignKey("FK_AttendanceSubmissions_AttendanceRecords_RecordId", x => x.RecordId, "AttendanceRecords", "Id", onDelete: ReferentialAction.Cascade);
        });
        mb.CreateIndex("IX_AttendanceSubmissions_ClientKey", "AttendanceSubmissions", "ClientKey", unique: true);
        mb.CreateIndex("IX_AttendanceSubmissions_RecordId", "AttendanceSubmissions", "RecordId");

        mb.CreateTable("AttendanceMarks", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            SubmissionId = t.Column<Guid>(nullable: false),
            StudentId = t.Column<Guid>(nullable: false),
            Kind = t.Column<int>(nullable: false),
            Reason = t.Column<string>(maxLength: 200, nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AttendanceMarks", x => x.Id);
            t.ForeignKey("FK_AttendanceMarks_AttendanceSubmissions_SubmissionId", x => x.SubmissionId, "AttendanceSubmissions", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_AttendanceMarks_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_AttendanceMarks_SubmissionId", "AttendanceMarks", "SubmissionId");
        mb.CreateIndex("IX_AttendanceMarks_StudentId_Kind", "AttendanceMarks", ["StudentId", "Kind"]);

        mb.CreateTable("LeaveRequests", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Version = t.Column<int>(nullable: false),
            StudentId = t.Column<Guid>(nullable: false),
            Kind = t.Column<int>(nullable: false),
            From = t.Column<DateOnly>(nullable: false),
            To = t.Column<DateOnly>(nullable: false),
            SchoolDays = t.Column<int>(nullable: false),
            Reason = t.Column<string>(maxLength: 200, nullable: false),
            RequestedByGuardian = t.Column<string>(maxLength: 64, nullable: false),
            State = t.Column<int>(nullable: false),
            RecordedBy = t.Column<string>(maxLength: 256, nullable: false),
            RecordedAt = t.Column<DateTime>(nullable: false),
            DecidedBy = t.Column<string>(maxLength: 256, nullable: true),
            DecidedAt = t.Column<DateTime>(nullable: true),
            DecisionNote = t.Column<string>(maxLength: 500, nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_LeaveRequests", x => x.Id);
            t.ForeignKey("FK_LeaveRequests_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_LeaveRequests_StudentId_From", "LeaveRequests", ["StudentId", "From"]);
        mb.CreateIndex("IX_LeaveRequests_Path_State", "LeaveRequests", ["Path", "State"]);

        mb.CreateTable("AbsenceClocks", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            StudentId = t.Column<Guid>(nullable: false),
            Stage = t.Column<int>(nullable: false),
            FirstDay = t.Column<DateOnly>(nullable: true),
            DaysCounted = t.Column<int>(nullable: false),
            AlertedOn = t.Column<DateOnly>(nullable: true),
            ActBy = t.Column<DateOnly>(nullable: true),
            SuspectedOn = t.Column<DateOnly>(nullable: true),
            DropoutDue = t.Column<DateOnly>(nullable: true),
            DropoutOn = t.Column<DateOnly>(nullable: true),
            PausedBy = t.Column<string>(maxLength: 64, nullable: true),
            ReturnedOn = t.Column<DateOnly>(nullable: true),
            SchoolAction = t.Column<string>(maxLength: 500, nullable: true),
            SchoolActedAt = t.Column<DateTime>(nullable: true),
            EvaluatedOn = t.Column<DateOnly>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AbsenceClocks", x => x.Id);
            t.ForeignKey("FK_AbsenceClocks_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_AbsenceClocks_StudentId", "AbsenceClocks", "StudentId", unique: true);
        mb.CreateIndex("IX_AbsenceClocks_Path_Stage", "AbsenceClocks", ["Path", "Stage"]);

        mb.CreateTable("AbsenceFollowUps", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            StudentId = t.Column<Guid>(nullable: false),
            FirstDay = t.Column<DateOnly>(nullable: false),
            Reached = t.Column<string>(maxLength: 64, nullable: false),
            Said = t.Column<string>(maxLength: 500, nullable: false),
            RecordedBy = t.Column<string>(maxLength: 256, nullable: false),
            RecordedAt = t.Column<DateTime>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AbsenceFollowUps", x => x.Id);
            t.ForeignKey("FK_AbsenceFollowUps_Students_StudentId", x => x.StudentId, "Students", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_AbsenceFollowUps_StudentId_FirstDay", "AbsenceFollowUps", ["StudentId", "FirstDay"]);
        mb.CreateIndex("IX_AbsenceFollowUps_Path", "AbsenceFollowUps", "Path");

        mb.CreateTable("ClockRuns", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Date = t.Column<DateOnly>(nullable: false),
            StartedAt = t.Column<DateTime>(nullable: false),
            FinishedAt = t.Column<DateTime>(nullable: true),
            Evaluated = t.Column<int>(nullable: false),
            Changed = t.Column<int>(nullable: false),
            Reported = t.Column<int>(nullable: false),
            Instance = t.Column<string>(maxLength: 200, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ClockRuns", x => x.Id));
        mb.CreateIndex("IX_ClockRuns_Date", "ClockRuns", "Date", unique: true);

        if (ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            mb.Sql("CREATE SCHEMA IF NOT EXISTS quartz;");
            foreach (var statement in QuartzSchema.PostgresStatements())
            {
                mb.Sql(statement);
            }
        }
    }

    protected override void Down(MigrationBuilder mb)
    {
        if (ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            mb.Sql("DROP SCHEMA IF EXISTS quartz CASCADE;");
        }
        mb.DropTable("ClockRuns");
        mb.DropTable("AbsenceFollowUps");
        mb.DropTable("AbsenceClocks");
        mb.DropTable("LeaveRequests");
        mb.DropTable("AttendanceMarks");
        mb.DropTable("AttendanceSubmissions");
        mb.DropTable("AttendanceRecords");
        mb.DropTable("CalendarDays");
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>Which classes a teacher teaches, and the school's grant to a subject teacher to see the whole school.</summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000008_TeachingAssignments")]
public sealed class M0008_TeachingAssignments : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.AddColumn<bool>("SeesWholeSchool", "Staff", nullable: false, defaultValue: false);
        // Existing staff start without the grant; the app sets the value from then on, so the column keeps no default
        // (SQLite cannot drop one without rebuilding the table, and its schema does not compare defaults).
        if (ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            mb.Sql("ALTER TABLE \"Staff\" ALTER COLUMN \"SeesWholeSchool\" DROP DEFAULT;");
        }
        mb.CreateTable("TeachingAssignments", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            StaffId = t.Column<Guid>(nullable: false),
            ClassId = t.Column<Guid>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_TeachingAssignments", x => x.Id);
            t.ForeignKey("FK_TeachingAssignments_Staff_StaffId", x => x.StaffId, "Staff", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_TeachingAssignments_Classes_ClassId", x => x.ClassId, "Classes", "Id", onDelete: ReferentialAction.Cascade);
        });
        mb.CreateIndex("IX_TeachingAssignments_StaffId_ClassId", "TeachingAssignments", ["StaffId", "ClassId"], unique: true);
        mb.CreateIndex("IX_TeachingAssignments_ClassId", "TeachingAssignments", "ClassId");
        mb.CreateIndex("IX_TeachingAssignments_Path", "TeachingAssignments", "Path");
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropTable("TeachingAssignments");
        mb.DropColumn("SeesWholeSchool", "Staff");
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>Places, schools, school years, classes, staff and member departments.</summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261123000001_Organisation")]
public sealed class M0001_Organisation : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("Divisions", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Code = t.Column<string>(maxLength: 12, nullable: false),
            Name = t.Column<string>(maxLength: 64, nullable: false),
            Level = t.Column<int>(nullable: false),
            ParentId = t.Column<Guid>(nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            Kind = t.Column<string>(maxLength: 16, nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_Divisions", x => x.Id);
            t.ForeignKey("FK_Divisions_Divisions_ParentId", x => x.ParentId, "Divisions", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_Divisions_Code", "Divisions", "Code", unique: true);
        mb.CreateIndex("IX_Divisions_Path", "Divisions", "Path");
        mb.CreateIndex("IX_Divisions_ParentId", "Divisions", "ParentId");

        mb.CreateTable("Schools", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Code = t.Column<string>(maxLength: 10, nullable: false),
            Name = t.Column<string>(maxLength: 100, nullable: false),
            Kind = t.Column<int>(nullable: false),
            TownshipId = t.Column<Guid>(nullable: false),
            VillageId = t.Column<Guid>(nullable: true),
            Address = t.Column<string>(maxLength: 200, nullable: true),
            HeadName = t.Column<string>(maxLength: 64, nullable: true),
            Phone = t.Column<string>(maxLength: 32, nullable: true),
            CentralSchoolId = t.Column<Guid>(nullable: true),
            IsActive = t.Column<bool>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_Schools", x => x.Id);
            t.ForeignKey("FK_Schools_Divisions_TownshipId", x => x.TownshipId, "Divisions", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_Schools_Divisions_VillageId", x => x.VillageId, "Divisions", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_Schools_Schools_CentralSchoolId", x => x.CentralSchoolId, "Schools", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_Schools_Code", "Schools", "Code", unique: true);
        mb.CreateIndex("IX_Schools_Path", "Schools", "Path");
        mb.CreateIndex("IX_Schools_TownshipId", "Schools", "TownshipId");
        mb.CreateIndex("IX_Schools_VillageId", "Schools", "VillageId");
        mb.CreateIndex("IX_Schools_CentralSchoolId", "Schools", "CentralSchoolId");

        mb.CreateTable("SchoolYears", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            StartYear = t.Column<int>(nullable: false),
            StartDate = t.Column<DateOnly>(nullable: false),
            EndDate = t.Column<DateOnly>(nullable: false),
            IsCurrent = t.Column<bool>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_SchoolYears", x => x.Id));
        mb.CreateIndex("IX_SchoolYears_StartYear", "SchoolYears", "StartYear", unique: true);

        mb.CreateTable("Terms", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            SchoolYearId = t.Column<Guid>(nullable: false),
            Number = t.Column<int>(nullable: false),
            StartDate = t.Column<DateOnly>(nullable: false),
            EndDate = t.Column<DateOnly>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_Terms", x => x.Id);
            t.ForeignKey("FK_Terms_SchoolYears_SchoolYearId", x => x.SchoolYearId, "SchoolYears", "Id", onDelete: ReferentialAction.Cascade);
        });
        mb.CreateIndex("IX_Terms_SchoolYearId_Number", "Terms", ["SchoolYearId", "Number"], unique: true);

        mb.CreateTable("Departments", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Code = t.Column<string>(maxLength: 16, nullable: false),
            Name = t.Column<string>(maxLength: 64, nullable: false),
            Kind = t.Column<int>(nullable: false),
            Duties = t.Column<string>(maxLength: 2000, nullable: true),
            CountyId = t.Column<Guid>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_Departments", x => x.Id);
            t.ForeignKey("FK_Departments_Divisions_CountyId", x => x.CountyId, "Divisions", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_Departments_Path", "Departments", "Path", unique: true);
        mb.CreateIndex("IX_Departments_CountyId", "Departments", "CountyId");

        mb.CreateTable("Staff", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Name = t.Column<string>(maxLength: 64, nullable: false),
            Post = t.Column<string>(maxLength: 64, nullable: false),
            Phone = t.Column<string>(maxLength: 32, nullable: true),
            SchoolId = t.Column<Guid>(nullable: true),
            DepartmentId = t.Column<Guid>(nullable: true),
            DivisionId = t.Column<Guid>(nullable: true),
            IsActive = t.Column<bool>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_Staff", x => x.Id);
            t.ForeignKey("FK_Staff_Schools_SchoolId", x => x.SchoolId, "Schools", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_Staff_Departments_DepartmentId", x => x.DepartmentId, "Departments", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_Staff_Divisions_DivisionId", x => x.DivisionId, "Divisions", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_Staff_Path", "Staff", "Path");
        mb.CreateIndex("IX_Staff_SchoolId", "Staff", "SchoolId");
        mb.CreateIndex("IX_Staff_DepartmentId", "Staff", "DepartmentId");
        mb.CreateIndex("IX_Staff_DivisionId", "Staff", "DivisionId");

        mb.CreateTable("Classes", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            SchoolId = t.Column<Guid>(nullable: false),
            SchoolYearId = t.Column<Guid>(nullable: false),
            Grade = t.Column<int>(nullable: false),
            Number = t.Column<int>(nullable: false),
            HeadTeacherId = t.Column<Guid>(nullable: true),
            Capacity = t.Column<int>(nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_Classes", x => x.Id);
            t.ForeignKey("FK_Classes_Schools_SchoolId", x => x.SchoolId, "Schools", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_Classes_SchoolYears_SchoolYearId", x => x.SchoolYearId, "SchoolYears", "Id", onDelete: ReferentialAction.Restrict);
            t.ForeignKey("FK_Classes_Staff_HeadTeacherId", x => x.HeadTeacherId, "Staff", "Id", onDelete: ReferentialAction.SetNull);
        });
        mb.CreateIndex("IX_Classes_SchoolId_SchoolYearId_Grade_Number", "Classes", ["SchoolId", "SchoolYearId", "Grade", "Number"], unique: true);
        mb.CreateIndex("IX_Classes_Path", "Classes", "Path");
        mb.CreateIndex("IX_Classes_SchoolYearId", "Classes", "SchoolYearId");
        mb.CreateIndex("IX_Classes_HeadTeacherId", "Classes", "HeadTeacherId");
    }

    protected override void Down(MigrationBuilder mb)
    {
        foreach (var table in new[] { "Classes", "Staff", "Departments", "Terms", "SchoolYears", "Schools", "Divisions" })
        {
            mb.DropTable(table);
        }
    }
}

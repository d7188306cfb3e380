using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>
/// Students.NameKey, the pinyin sort key of the name, and one index per order of the student list. Existing rows get
/// their keys at start-up (<see cref="NameKeys"/>): the key comes from ICU's collation, which SQL cannot compute.
/// </summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000006_StudentNameKey")]
public sealed class M0006_StudentNameKey : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.AddColumn<string>("NameKey", "Students", maxLength: 256, nullable: false, defaultValue: "");
        if (ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            // The default only fills existing rows; the model has none.
            mb.Sql("ALTER TABLE \"Students\" ALTER COLUMN \"NameKey\" DROP DEFAULT;");
        }
        mb.DropIndex("IX_Students_Path", "Students");
        mb.CreateIndex("IX_Students_Path_NameKey_Id", "Students", ["Path", "NameKey", "Id"]);
        mb.CreateIndex("IX_Students_NameKey_Id", "Students", ["NameKey", "Id"]);
        mb.CreateIndex("IX_Students_Grade_Path_NameKey_Id", "Students", ["Grade", "Path", "NameKey", "Id"]);
        mb.CreateIndex("IX_Students_Status_Path_NameKey_Id", "Students", ["Status", "Path", "NameKey", "Id"]);
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropIndex("IX_Students_Status_Path_NameKey_Id", "Students");
        mb.DropIndex("IX_Students_Grade_Path_NameKey_Id", "Students");
        mb.DropIndex("IX_Students_NameKey_Id", "Students");
        mb.DropIndex("IX_Students_Path_NameKey_Id", "Students");
        mb.CreateIndex("IX_Students_Path", "Students", "Path");
        mb.DropColumn("NameKey", "Students");
    }
}

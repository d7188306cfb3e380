using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>Accounts for a whole county: an administrator-given password must be changed, and the last sign-in is kept for the access list.</summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000011_Accounts")]
public sealed class M0011_Accounts : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.AddColumn<bool>("MustChangePassword", "AspNetUsers", nullable: false, defaultValue: false);
        // Existing accounts keep their own passwords; the app sets the value from then on (as M0008 does).
        if (ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            mb.Sql("ALTER TABLE \"AspNetUsers\" ALTER COLUMN \"MustChangePassword\" DROP DEFAULT;");
        }
        mb.AddColumn<DateTime>("LastSignInAt", "AspNetUsers", nullable: true);
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropColumn("LastSignInAt", "AspNetUsers");
        mb.DropColumn("MustChangePassword", "AspNetUsers");
    }
}

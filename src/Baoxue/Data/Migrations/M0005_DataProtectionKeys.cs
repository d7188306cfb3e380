using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>The data-protection key ring moves from each server's home folder into the database, so app servers share sign-ins.</summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000005_DataProtectionKeys")]
public sealed class M0005_DataProtectionKeys : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("DataProtectionKeys", t => new
        {
            Id = t.Column<int>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            FriendlyName = t.Column<string>(nullable: true),
            Xml = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_DataProtectionKeys", x => x.Id));
    }

    protected override void Down(MigrationBuilder mb) => mb.DropTable("DataProtectionKeys");
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>Service accounts: machines of other departments and levels, with a secret and a chosen set of permissions.</summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000012_ServiceAccounts")]
public sealed class M0012_ServiceAccounts : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("ServiceAccounts", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Name = t.Column<string>(maxLength: 64, nullable: false),
            ClientId = t.Column<string>(maxLength: 64, nullable: false),
            SecretHash = t.Column<string>(maxLength: 64, nullable: false),
            Permissions = t.Column<string>(maxLength: 1000, nullable: false),
            PlaceKind = t.Column<int>(nullable: false),
            PlaceId = t.Column<Guid>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            Stamp = t.Column<string>(maxLength: 36, nullable: false),
            IsRevoked = t.Column<bool>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            SecretChangedAt = t.Column<DateTime>(nullable: true),
            RevokedAt = t.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_ServiceAccounts", x => x.Id));
        mb.CreateIndex("IX_ServiceAccounts_ClientId", "ServiceAccounts", "ClientId", unique: true);
        mb.CreateIndex("IX_ServiceAccounts_Name", "ServiceAccounts", "Name", unique: true);
        mb.CreateIndex("IX_ServiceAccounts_Path", "ServiceAccounts", "Path");
    }

    protected override void Down(MigrationBuilder mb) => mb.DropTable("ServiceAccounts");
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Data.Migrations;

/// <summary>
/// Casework (decision 0021): attachments (metadata apart from bytes), the notices of 依法控辍 with their per-unit,
/// per-year counters, and the client keys that make a phone's retried submission record once.
/// </summary>
[DbContext(typeof(BaoxueDb))]
[Migration("20261201000010_Casework")]
public sealed class M0010_Casework : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("Attachments", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            OwnerKind = t.Column<string>(maxLength: 32, nullable: false),
            OwnerId = t.Column<Guid>(nullable: false),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            FileName = t.Column<string>(maxLength: 200, nullable: false),
            ContentType = t.Column<string>(maxLength: 64, nullable: false),
            Size = t.Column<long>(nullable: false),
            Sha256 = t.Column<string>(maxLength: 64, nullable: false),
            HasThumbnail = t.Column<bool>(nullable: false),
            CreatedById = t.Column<Guid>(nullable: true),
            CreatedBy = t.Column<string>(maxLength: 256, nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_Attachments", x => x.Id));
        mb.CreateIndex("IX_Attachments_OwnerKind_OwnerId", "Attachments", ["OwnerKind", "OwnerId"]);

        mb.CreateTable("AttachmentContents", t => new
        {
            AttachmentId = t.Column<Guid>(nullable: false),
            Content = t.Column<byte[]>(nullable: true),
            Thumbnail = t.Column<byte[]>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AttachmentContents", x => x.AttachmentId);
            t.ForeignKey("FK_AttachmentContents_Attachments_AttachmentId", x => x.AttachmentId, "Attachments", "Id", onDelete: ReferentialAction.Cascade);
        });

        mb.CreateTable("CaseNotices", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            CaseId = t.Column<Guid>(nullable: false),
            Kind = t.Column<int>(nullable: false),
            Issuer = t.Column<int>(nullable: false),
            IssuerPath = t.Column<string>(maxLength: 256, nullable: false),
            IssuerName = t.Column<string>(maxLength: 100, nullable: false),
            NumberPrefix = t.Column<string>(maxLength: 32, nullable: false),
            Year = t.Column<int>(nullable: false),
            Number = t.Column<int>(nullable: false),
            Addressee = t.Column<string>(maxLength: 200, nullable: false),
            ChildName = t.Column<string>(maxLength: 64, nullable: false),
            Facts = t.Column<string>(maxLength: 2000, nullable: false),
            LegalBasis = t.Column<string>(maxLength: 1000, nullable: false),
            Demand = t.Column<string>(maxLength: 1000, nullable: false),
            DeadlineOn = t.Column<DateOnly>(nullable: true),
            Recipient = t.Column<string>(maxLength: 100, nullable: true),
            IssuedOn = t.Column<DateOnly>(nullable: false),
            IssuedBy = t.Column<string>(maxLength: 256, nullable: false),
            IssuedAt = t.Column<DateTime>(nullable: false),
            SettledAt = t.Column<DateTime>(nullable: true),
            SettledBy = t.Column<string>(maxLength: 256, nullable: true),
            SettledNote = t.Column<string>(maxLength: 500, nullable: true),
            Path = t.Column<string>(maxLength: 256, nullable: false),
            ResidencePath = t.Column<string>(maxLength: 256, nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_CaseNotices", x => x.Id);
            t.ForeignKey("FK_CaseNotices_LedgerCases_CaseId", x => x.CaseId, "LedgerCases", "Id", onDelete: ReferentialAction.Restrict);
        });
        mb.CreateIndex("IX_CaseNotices_IssuerPath_Year_Number", "CaseNotices", ["IssuerPath", "Year", "Number"], unique: true);
        mb.CreateIndex("IX_CaseNotices_CaseId", "CaseNotices", "CaseId");
        mb.CreateIndex("IX_CaseNotices_Path", "CaseNotices", "Path");
        mb.CreateIndex("IX_CaseNotices_ResidencePath", "CaseNotices", "ResidencePath");

        mb.CreateTable("DocumentSequences", t => new
        {
            IssuerPath = t.Column<string>(maxLength: 256, nullable: false),
            Year = t.Column<int>(nullable: false),
            LastNumber = t.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_DocumentSequences", x => new { x.IssuerPath, x.Year }));

        mb.CreateTable("CaseworkSubmissions", t => new
        {
            UserId = t.Column<Guid>(nullable: false),
            ClientKey = t.Column<string>(maxLength: 64, nullable: false),
            Kind = t.Column<string>(maxLength: 32, nullable: false),
            RecordId = t.Column<Guid>(nullable: false),
            At = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_CaseworkSubmissions", x => new { x.UserId, x.ClientKey }));
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropTable("CaseworkSubmissions");
        mb.DropTable("DocumentSequences");
        mb.DropTable("CaseNotices");
        mb.DropTable("AttachmentContents");
        mb.DropTable("Attachments");
    }
}

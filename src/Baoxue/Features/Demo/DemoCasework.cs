using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Casework;
using Baoxue.Infrastructure.Attachments;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Baoxue.Features.Demo;

/// <summary>
/// The demo county's casework: children living in the demo village cadre's village, one case in each stage after
/// confirmation (persuading with attempts, photos and notices; a missed deadline; returned; in follow-up; close-out
/// asked; closed out). Everything goes through the same use cases as the pages, so the demo is what users would make.
/// </summary>
internal static class DemoCasework
{
    public static async Task SeedAsync(BaoxueDb db, IServiceProvider services, CancellationToken ct)
    {
        var village = await db.Users.IgnoreQueryFilters().Where(u => u.UserName == "village.cadre").Select(u => u.Path).FirstOrDefaultAsync(ct);
        // Children not already on the demo ledger (one open entry per child).
        var students = await db.Students.Where(s => s.Status == StudentStatus.InSchool && s.Grade >= 4 && s.ClassId != null && !db.LedgerEntries.Any(e => e.StudentId == s.Id))
            .OrderBy(s => s.NameKey).Take(6).ToListAsync(ct);
        if (village is null || students.Count < 6)
        {
            return; // the county without students (tests that make their own) has no cases either
        }
        using var scope = services.CreateScope();
        var files = scope.ServiceProvider.GetRequiredService<AttachmentFiles>();
        var table = scope.ServiceProvider.GetRequiredService<TextTable>();
        var personal = scope.ServiceProvider.GetRequiredService<PersonalData>();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<CaseworkOptions>>();
        var government = await db.Staff.Where(s => s.Path == village).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        var today = db.County.Today;
        var random = new Random(20261201);

        var cases = new List<LedgerCase>();
        for (var i = 0; i < students.Count; i++)
        {
            var s = students[i];
            var daysOut = 40 + i * 25;
            var education = await db.Staff.Where(x => x.SchoolId == s.SchoolId).OrderBy(x => x.Name).Select(x => (Guid?)x.Id).FirstOrDefaultAsync(ct);
            var entry = new LedgerEntry
            {
                ChildKey = LedgerEntry.KeyOfStudent(s.Id), StudentId = s.Id, Name = s.Name, IdNumberMasked = s.IdNumberMasked, BirthDate = s.BirthDate, Gender = s.Gender,
                HouseholdAddress = s.HouseholdAddress, SchoolId = s.SchoolId, Grade = s.Grade, List = Ledger.LedgerList.Dropout, State = LedgerEntryState.Confirmed,
                Source = Ledger.LedgerSource.Tip, SourceKey = "demo-casework-" + s.Id.ToString("N"), Reason = "连续旷课，家访未见学生", ReportedOn = today.AddDays(-daysOut),
                ReportedAt = db.County.StartOfDayUtc(today.AddDays(-daysOut)).AddHours(2), ReportedBy = "head.teacher", IsNew = true,
                Outcome = VerificationOutcome.Dropout, VerificationNote = "经家访核实，学生在家未上学", VerifiedBy = "head.teacher", VerifiedAt = db.County.StartOfDayUtc(today.AddDays(-daysOut + 2)),
                ApprovedBy = "township.cadre", ApprovedAt = db.County.StartOfDayUtc(today.AddDays(-daysOut + 3)), Path = s.Path, ResidencePath = village,
            };
            var @case = new LedgerCase
            {
                EntryId = entry.Id, State = LedgerCaseState.Assigned, OpenedAt = entry.ApprovedAt.Value, EducationStaffId = education, GovernmentStaffId = government,
                AssignedBy = "township.cadre", AssignedAt = entry.ApprovedAt, Path = s.Path, ResidencePath = village,
            };
            db.LedgerEntries.Add(entry);
            db.LedgerCases.Add(@case);
            cases.Add(@case);
        }
        await db.SaveChangesAsync(ct);

        // Every case has been visited at least once; the first two twice, with photos of the visit.
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var photos = i < 2 ? new[] { Photo(random, 1), Photo(random, 2) } : [Photo(random, 3)];
            await Attempt(c, today.AddDays(-30 + i), PersuasionMethod.HomeVisit, PersuasionOutcome.Considering, [.. photos.Select((p, k) => new IncomingFile($"家访照片{k + 1}.jpg", () => new MemoryStream(p)))]);
            if (i < 2)
            {
                await Attempt(c, today.AddDays(-12 + i), PersuasionMethod.Phone, PersuasionOutcome.Refused, []);
            }
        }

        // Case 0: escalated to an order to correct, deadline ahead. Case 1: the same, deadline missed (a task).
        foreach (var (c, missed) in new[] { (cases[0], false), (cases[1], true) })
        {
            await Notice(c, NoticeKind.CriticismRecord, null);
            await Notice(c, NoticeKind.GuardianNotice, null);
            var order = await Notice(c, NoticeKind.OrderToCorrect, today.AddDays(10));
            if (missed && order is not null)
            {
                order.DeadlineOn = today.AddDays(-3); // issued earlier; the date passed without the child back
                await db.SaveChangesAsync(ct);
            }
        }
        await Notice(cases[1], NoticeKind.WrittenReport, null);

        // Cases 2–5 came back: returned; in follow-up; close-out asked; closed out.
        for (var i = 2; i < cases.Count; i++)
        {
            var student = students[i];
            var back = today.AddDays(-20 - i * 10);
            await Checked(CaseProgress.ReturnAsync(db, personal, options, cases[i].Id, new CaseProgress.ReturnCommand(back, i == 3 ? PlacementKind.RegularClass : PlacementKind.OriginalSchool, student.ClassId, null), ct));
            if (i >= 3)
            {
                var until = i == 3 ? today.AddDays(60) : today.AddDays(-1);
                await Checked(CaseProgress.FollowUpAsync(db, options, cases[i].Id, new CaseProgress.FollowUpCommand("班主任每周谈心，学习结对帮扶，每月家访一次", until), ct));
            }
            if (i >= 4)
            {
                await Checked(CaseProgress.RequestCloseOutAsync(db, files, cases[i].Id, new CaseProgress.CloseOutCommand("复学后稳定就读，跟踪期满"),
                    [new IncomingFile("在校就读照片.jpg", () => new MemoryStream(Photo(random, 4)))], ct));
            }
            if (i == 5)
            {
                await Checked(CaseProgress.DecideCloseOutAsync(db, cases[i].Id, new CaseProgress.DecisionCommand(true, "同意销号"), ct));
            }
        }
        db.ChangeTracker.Clear();

        async Task Attempt(LedgerCase c, DateOnly on, PersuasionMethod method, PersuasionOutcome outcome, IReadOnlyList<IncomingFile> photos) =>
            await Checked(CaseAttempts.RecordAsync(db, files, c.Id, new CaseAttempts.Command(null, on, "班主任、村主任", method, "父亲、祖母",
                "宣讲义务教育法，了解孩子不愿上学的原因，约定再次家访", PersuasionAttitude.Hesitant, PersuasionAttitude.Hesitant, outcome, "再次家访", on.AddDays(7)), photos, ct));

        async Task<CaseNotice?> Notice(LedgerCase c, NoticeKind kind, DateOnly? deadline) =>
            await Checked(CaseNotices.IssueAsync(db, table, new CaseworkOptions(), c.Id, new CaseNotices.Command(kind, kind is NoticeKind.OrderToCorrect ? NoticeIssuer.Bureau : NoticeIssuer.Township, null, null, null, deadline, null), ct));
    }

    private static async Task<T?> Checked<T>(Task<Infrastructure.Outcome<T>> work)
    {
        var outcome = await work;
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException("Demo casework: " + string.Join("; ", outcome.Errors.Select(e => e.Field + " " + e.Key)));
        }
        return outcome.Value;
    }

    /// <summary>A drawn stand-in for a photo of a home visit: a house, the yard, a few people (no real person's likeness).</summary>
    internal static byte[] Photo(Random random, int scene)
    {
        const int w = 800, h = 600;
        using var bitmap = new SKBitmap(w, h);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(150, 200, 240));
            using var fill = new SKPaint { IsAntialias = true };
            fill.Color = new SKColor(110, 160, 90);
            canvas.DrawRect(0, h * 0.65f, w, h * 0.35f, fill);
            fill.Color = new SKColor(225, 215, 190);
            canvas.DrawRect(200 + scene * 10, 240, 320, 180, fill);
            fill.Color = new SKColor(150, 60, 50);
            using (var roof = new SKPath())
            {
                roof.MoveTo(180 + scene * 10, 245);
                roof.LineTo(360 + scene * 10, 150);
                roof.LineTo(540 + scene * 10, 245);
                roof.Close();
                canvas.DrawPath(roof, fill);
            }
            fill.Color = new SKColor(100, 70, 40);
            canvas.DrawRect(330 + scene * 10, 330, 60, 90, fill);
            for (var p = 0; p < 2 + scene % 3; p++)
            {
                var x = 560 + p * 55 + random.Next(0, 20);
                fill.Color = new SKColor((byte)random.Next(30, 200), (byte)random.Next(30, 200), (byte)random.Next(30, 200));
                canvas.DrawRect(x - 15, 420, 30, 70, fill);
                fill.Color = new SKColor(240, 200, 170);
                canvas.DrawCircle(x, 405, 16, fill);
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 80);
        return data.ToArray();
    }
}

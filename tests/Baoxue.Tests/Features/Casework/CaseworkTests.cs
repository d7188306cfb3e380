using System.Net;
using System.Text;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Infrastructure.Attachments;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Baoxue.Tests.Features.Casework;

/// <summary>
/// Casework end to end through the API on a real database: attachments (type by content, size limit, scope, audit),
/// notices numbered without gaps under parallel requests, their Word and print content, idempotent attempts, the
/// return through a registry status change, follow-up, relapse and the county's close-out approval.
/// </summary>
public abstract class CaseworkTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : CaseworkApp
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

    [Fact]
    public void File_kinds_are_read_from_the_bytes()
    {
        Assert.Equal(FileKind.Jpeg, FileKind.Sniff(CaseworkApp.Jpeg(8, 8)));
        Assert.Equal(FileKind.Pdf, FileKind.Sniff(Pdf));
        Assert.Equal(FileKind.Png, FileKind.Sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]));
        Assert.Equal(FileKind.Heic, FileKind.Sniff([0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'h', (byte)'e', (byte)'i', (byte)'c']));
        Assert.Null(FileKind.Sniff("just text, named photo.jpg"u8));
    }

    [Fact]
    public async Task A_photo_is_stored_with_a_thumbnail_served_only_within_the_cases_reach_and_every_download_is_audited()
    {
        var (caseId, _, _) = await app.CaseAsync();
        using var village = await app.ClientAsync("village.cadre");
        var added = await (await village.PostAsync("/api/v1/attachments", CaseworkApp.Upload("case", caseId, (CaseworkApp.Jpeg(), "IMG_0001.JPG")))).OkAsync<JsonElement>();
        var photo = added[0];
        Assert.Equal("image/jpeg", photo.GetProperty("contentType").GetString());
        Assert.True(photo.GetProperty("hasThumbnail").GetBoolean());
        var id = photo.GetProperty("id").GetGuid();
        Assert.Equal(64, photo.GetProperty("sha256").GetString()!.Length);

        // The list never carries bytes.
        var list = await village.GetStringAsync($"/api/v1/attachments?ownerKind=case&ownerId={caseId}");
        Assert.Contains(id.ToString(), list, StringComparison.Ordinal);
        Assert.DoesNotContain("\"content\"", list, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"thumbnail\"", list, StringComparison.OrdinalIgnoreCase);

        using var file = await village.GetAsync($"/api/v1/attachments/{id}");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("image/jpeg", file.Content.Headers.ContentType!.MediaType);
        var thumb = await village.GetByteArrayAsync($"/api/v1/attachments/{id}/thumbnail");
        Assert.Equal(FileKind.Jpeg, FileKind.Sniff(thumb));
        Assert.True(thumb.Length < (await file.Content.ReadAsByteArrayAsync()).Length);

        // A village cadre of another township: the same answer as for a file that does not exist.
        using var stranger = await app.ClientAsync(CaseworkApp.OtherVillageCadre);
        Assert.Equal(HttpStatusCode.NotFound, await CaseworkApp.StatusAsync(stranger, $"/api/v1/attachments/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, await CaseworkApp.StatusAsync(stranger, $"/api/v1/attachments/{id}/thumbnail"));
        Assert.Equal(HttpStatusCode.NotFound, await CaseworkApp.StatusAsync(stranger, $"/api/v1/attachments?ownerKind=case&ownerId={caseId}"));
        using var foreignUpload = await stranger.PostAsync("/api/v1/attachments", CaseworkApp.Upload("case", caseId, (Pdf, "x.pdf")));
        Assert.Equal(HttpStatusCode.NotFound, foreignUpload.StatusCode);

        await using var db = app.Db();
        var key = id.ToString();
        var audit = await db.AuditEntries.Where(a => a.EntityType == nameof(Attachment) && a.EntityId == key && a.Action == AuditAction.Export).ToListAsync();
        Assert.Single(audit);
        Assert.Equal("village.cadre", audit[0].UserName);
        // The upload's audit line records the size, not the bytes.
        var stored = await db.AuditEntries.Where(a => a.EntityType == nameof(AttachmentContent) && a.EntityId == key).Select(a => a.After).SingleAsync();
        Assert.Contains("bytes", stored!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_are_refused_by_content_and_size_with_a_chinese_reason_and_nothing_is_stored()
    {
        var (caseId, _, _) = await app.CaseAsync();
        using var village = await app.ClientAsync("village.cadre");
        await using (var before = app.Db())
        {
            Assert.Equal(0, await before.Attachments.CountAsync(a => a.OwnerId == caseId));
        }

        var renamed = await (await village.PostAsync("/api/v1/attachments", CaseworkApp.Upload("case", caseId, ("MZ\u0090 not an image"u8.ToArray(), "photo.jpg")))).RefusedAsync();
        Assert.Contains("JPG", renamed["File"][0], StringComparison.Ordinal);
        Assert.Contains("photo.jpg", renamed["File"][0], StringComparison.Ordinal);

        byte[] heic = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'h', (byte)'e', (byte)'i', (byte)'c', 0, 0, 0, 0];
        var iphone = await (await village.PostAsync("/api/v1/attachments", CaseworkApp.Upload("case", caseId, (heic, "IMG_0002.HEIC")))).RefusedAsync();
        Assert.Contains("兼容性最佳", iphone["File"][0], StringComparison.Ordinal);

        var big = new byte[1024 * 1024 + 10];
        Pdf.CopyTo(big, 0);
        var tooBig = await (await village.PostAsync("/api/v1/attachments", CaseworkApp.Upload("case", caseId, (Pdf, "ok.pdf"), (big, "scan.pdf")))).RefusedAsync();
        Assert.Contains("1 MB", tooBig["File"][0], StringComparison.Ordinal);

        var broken = CaseworkApp.Jpeg()[..40];
        var damaged = await (await village.PostAsync("/api/v1/attachments", CaseworkApp.Upload("case", caseId, (broken, "cut.jpg")))).RefusedAsync();
        Assert.Contains("cut.jpg", damaged["File"][0], StringComparison.Ordinal);

        await using var db = app.Db();
        Assert.Equal(0, await db.Attachments.CountAsync(a => a.OwnerId == caseId)); // the good PDF beside the big one was not kept either
    }

    [Fact]
    public async Task Notice_numbers_are_gapless_per_unit_and_year_under_parallel_requests()
    {
        var (caseId, _, _) = await app.CaseAsync(state: LedgerCaseState.Persuading);
        using var first = await (await app.ClientAsync("township.cadre")).PostJsonAsync($"/api/v1/ledger/cases/{caseId}/notices", new { Kind = "WrittenReport", Issuer = "Township" });
        var start = (await first.OkAsync<JsonElement>()).GetProperty("number").GetInt32();

        const int parallel = 12;
        var clients = await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => app.ClientAsync("township.cadre")));
        var responses = await Task.WhenAll(clients.Select(c => c.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/notices", new { Kind = "WrittenReport", Issuer = "Township" })));
        var numbers = new List<int>();
        foreach (var r in responses)
        {
            numbers.Add((await r.OkAsync<JsonElement>()).GetProperty("number").GetInt32());
        }
        Assert.Equal(Enumerable.Range(start + 1, parallel), numbers.Order());

        // Refused input takes no number.
        using var township = await app.ClientAsync("township.cadre");
        var refused = await (await township.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/notices", new { Kind = "WrittenReport", Issuer = "Township", Facts = new string('长', 2001) })).RefusedAsync();
        Assert.Contains("2000", refused["Facts"][0], StringComparison.Ordinal);
        var next = await (await township.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/notices", new { Kind = "WrittenReport", Issuer = "Township" })).OkAsync<JsonElement>();
        Assert.Equal(start + parallel + 1, next.GetProperty("number").GetInt32());
        Assert.EndsWith($"〔{next.GetProperty("year").GetInt32()}〕{start + parallel + 1}号", next.GetProperty("documentNumber").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_to_correct_prints_and_downloads_as_the_official_notice_with_masked_id_and_its_missed_deadline_is_a_task()
    {
        var (caseId, _, _) = await app.CaseAsync(state: LedgerCaseState.Persuading);
        using var bureau = await app.ClientAsync("bureau.staff");
        await using var arrange = app.Db();
        var today = arrange.County.Today;
        var past = await (await bureau.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/notices", new { Kind = "OrderToCorrect", DeadlineOn = today })).RefusedAsync();
        Assert.Contains("期限", past["DeadlineOn"][0], StringComparison.Ordinal);
        var notice = await (await bureau.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/notices", new { Kind = "OrderToCorrect", Issuer = "Bureau", DeadlineOn = today.AddDays(10) })).OkAsync<JsonElement>();
        var id = notice.GetProperty("id").GetGuid();
        var number = notice.GetProperty("documentNumber").GetString()!;
        Assert.StartsWith("罗教〔", number, StringComparison.Ordinal);
        var c = await arrange.LedgerCases.AsNoTracking().SingleAsync(x => x.Id == caseId);
        Assert.Equal(EscalationStep.OrderToCorrect, c.Escalation);
        var entry = await arrange.LedgerEntries.AsNoTracking().SingleAsync(e => e.Id == c.EntryId);

        // Word: the unit in red, the number, the title, the guardian, the law, the deadline, the date in Chinese numerals.
        var docx = await bureau.GetByteArrayAsync($"/api/v1/ledger/notices/{id}/docx");
        using (var doc = WordprocessingDocument.Open(new MemoryStream(docx), false))
        {
            var text = doc.MainDocumentPart!.Document.Body!.InnerText;
            Assert.Contains("罗源县教育局", text, StringComparison.Ordinal);
            Assert.Contains(number, text, StringComparison.Ordinal);
            Assert.Contains("责令限期改正通知书", text, StringComparison.Ordinal);
            Assert.Contains("林建国：", text, StringComparison.Ordinal);
            Assert.Contains("第五十八条", text, StringComparison.Ordinal);
            Assert.Contains("未成年人保护法", text, StringComparison.Ordinal);
            Assert.Contains($"{today.AddDays(10).Year}年{today.AddDays(10).Month}月{today.AddDays(10).Day}日前", text, StringComparison.Ordinal);
            Assert.Contains("（盖章）", text, StringComparison.Ordinal);
            Assert.Contains("二〇", text, StringComparison.Ordinal);
            Assert.Contains(entry.IdNumberMasked!, text, StringComparison.Ordinal); // the bureau may see the stored mask
            Assert.Contains("C00000", doc.MainDocumentPart.Document.Body.OuterXml, StringComparison.Ordinal);
        }

        // The print page for a township cadre: the region of the ID only.
        using var townshipClient = await app.ClientAsync("township.cadre");
        var page = WebUtility.HtmlDecode((await Pages.GetAsync(townshipClient, $"/notices/{id}")).Html);
        Assert.Contains("data-print", page, StringComparison.Ordinal);
        Assert.Contains(number, page, StringComparison.Ordinal);
        Assert.Contains("red-header", page, StringComparison.Ordinal);
        Assert.Contains(IdDisclosure.Conceal(entry.IdNumberMasked!), page, StringComparison.Ordinal);
        Assert.DoesNotContain(entry.IdNumberMasked!, page, StringComparison.Ordinal);

        // A stranger gets nothing.
        using var stranger = await app.ClientAsync(CaseworkApp.OtherVillageCadre);
        Assert.Equal(HttpStatusCode.NotFound, await CaseworkApp.StatusAsync(stranger, $"/api/v1/ledger/notices/{id}/docx"));

        // The deadline passes unsettled: a task for the responsible lines' superiors (the township) and the county.
        await using (var db = app.Db())
        {
            var n = await db.CaseNotices.SingleAsync(x => x.Id == id);
            n.DeadlineOn = today.AddDays(-1);
            await db.SaveChangesAsync();
        }
        var overdue = await bureau.GetStringAsync("/api/v1/ledger/casework?view=Overdue");
        Assert.Contains(caseId.ToString(), overdue, StringComparison.Ordinal);
        var home = await (await app.ClientAsync("township.cadre")).GetStringAsync("/api/v1/home");
        Assert.Contains("Casework.Task.DeadlineMissed", home, StringComparison.Ordinal);
        var settled = await (await bureau.PostJsonAsync($"/api/v1/ledger/notices/{id}/settle", new { Note = "监护人已送孩子返校" })).OkAsync<JsonElement>();
        Assert.NotEqual(JsonValueKind.Null, settled.GetProperty("settledAt").ValueKind);
        Assert.DoesNotContain(caseId.ToString(), await bureau.GetStringAsync("/api/v1/ledger/casework?view=Overdue"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retried_attempt_with_the_same_client_key_is_recorded_once()
    {
        var (caseId, _, _) = await app.CaseAsync();
        using var village = await app.ClientAsync("village.cadre");
        await using var arrange = app.Db();
        var body = new
        {
            ClientKey = Guid.NewGuid().ToString("N"), On = arrange.County.Today, People = "王村主任、李老师", Method = "HomeVisit", Met = "父亲",
            Said = "讲解义务教育法，孩子愿意考虑", GuardianAttitude = "Hesitant", ChildAttitude = "Supportive", Outcome = "Considering", NextStep = "再次家访", NextOn = arrange.County.Today.AddDays(7),
        };
        var first = await (await village.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/attempts", body)).OkAsync<JsonElement>();
        var again = await (await village.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/attempts", body)).OkAsync<JsonElement>();
        Assert.Equal(first.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        await using var db = app.Db();
        Assert.Equal(1, await db.PersuasionAttempts.CountAsync(a => a.CaseId == caseId));
        Assert.Equal(LedgerCaseState.Persuading, (await db.LedgerCases.SingleAsync(c => c.Id == caseId)).State);

        var bad = await (await village.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/attempts", body with { ClientKey = "k2", On = arrange.County.Today.AddDays(1), People = "" })).RefusedAsync();
        Assert.Contains("晚于今天", bad["On"][0], StringComparison.Ordinal);
        Assert.Contains("参与人员", bad["People"][0], StringComparison.Ordinal);
        Assert.Equal(1, await db.PersuasionAttempts.CountAsync(a => a.CaseId == caseId));

        var timeline = await village.GetStringAsync($"/api/v1/ledger/cases/{caseId}/timeline");
        Assert.Contains("家访", timeline, StringComparison.Ordinal);
        Assert.Contains("劝返中", timeline, StringComparison.Ordinal); // the state change, from the audit log
    }

    [Fact]
    public async Task The_return_asks_the_registry_for_a_resumption_and_follow_up_relapse_and_close_out_follow()
    {
        var (caseId, studentId, entryId) = await app.CaseAsync(StudentStatus.Suspended, LedgerCaseState.Persuading, daysOut: 150);
        await using var arrange = app.Db();
        var today = arrange.County.Today;
        var cls = await arrange.Classes.Where(c => c.SchoolId == app.SchoolId && c.Grade == 4 && c.SchoolYear!.IsCurrent).Select(c => c.Id).FirstAsync();
        using var school = await app.ClientAsync("school.admin");

        var grade = await (await school.GetAsync($"/api/v1/ledger/cases/{caseId}/grade-suggestion?on={today:yyyy-MM-dd}")).OkAsync<JsonElement>();
        Assert.Equal(4, grade.GetProperty("grade").GetInt32()); // left in grade 5, out about five months: one lower
        Assert.Equal("OneLower", grade.GetProperty("rule").GetString());
        Assert.Contains("降一个年级", grade.GetProperty("explanation").GetString(), StringComparison.Ordinal);

        // A village cadre may not change the registry: refused, nothing recorded.
        using var village = await app.ClientAsync("village.cadre");
        var refused = await (await village.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/return", new { ReturnedOn = today.AddDays(-30), Placement = "OriginalSchool", ClassId = cls })).RefusedAsync();
        Assert.Contains("学籍", refused["Placement"][0], StringComparison.Ordinal);

        var returned = await (await school.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/return", new { ReturnedOn = today.AddDays(-30), Placement = "OriginalSchool", ClassId = cls })).OkAsync<JsonElement>();
        var changeId = returned.GetProperty("statusChangeId").GetGuid();
        Assert.Equal("Returned", returned.GetProperty("case").GetProperty("state").GetString());
        await using (var db = app.Db())
        {
            var change = await db.StatusChanges.SingleAsync(x => x.Id == changeId);
            Assert.Equal(StatusChangeKind.Resumption, change.Kind);
            Assert.Equal(studentId, change.StudentId);
            Assert.Equal(StudentStatus.Suspended, (await db.Students.SingleAsync(s => s.Id == studentId)).Status); // not written directly
        }
        using var bureau = await app.ClientAsync("bureau.staff");
        (await bureau.PostJsonAsync($"/api/v1/status-changes/{changeId}/decision", new { Approve = true })).EnsureSuccessStatusCode();
        await using (var db = app.Db())
        {
            var student = await db.Students.SingleAsync(s => s.Id == studentId);
            Assert.Equal(StudentStatus.InSchool, student.Status);
            Assert.Equal(cls, student.ClassId);
        }

        // Follow-up, then a relapse: back to persuasion.
        (await school.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/follow-up", new { SupportPlan = "班主任每周家访，结对帮扶", Until = today.AddDays(-1) })).EnsureSuccessStatusCode();
        var early = await (await school.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/close-out", new { Reason = "稳定就读" })).OkAsync<JsonElement>();
        Assert.Equal("ClosingRequested", early.GetProperty("state").GetString());
        using var county = await app.ClientAsync("county.admin");
        var home = await county.GetStringAsync("/api/v1/home");
        Assert.Contains("Casework.Task.ApproveCloseOut", home, StringComparison.Ordinal);
        var sentBack = await (await county.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/close-out/decision", new { Approve = false })).RefusedAsync();
        Assert.Contains("意见", sentBack["Note"][0], StringComparison.Ordinal);
        var back = await (await county.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/close-out/decision", new { Approve = false, Note = "补充佐证材料" })).OkAsync<JsonElement>();
        Assert.Equal("FollowUp", back.GetProperty("state").GetString());

        var relapse = await (await school.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/reopen", new { Reason = "又连续旷课 5 天" })).OkAsync<JsonElement>();
        Assert.Equal("Reopened", relapse.GetProperty("state").GetString());
        Assert.Equal(1, relapse.GetProperty("reopenCount").GetInt32());
        await (await village.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/attempts", new
        {
            ClientKey = Guid.NewGuid().ToString("N"), On = today, People = "村主任", Method = "Phone", Said = "电话沟通", GuardianAttitude = "Supportive", ChildAttitude = "Supportive", Outcome = "AgreedToReturn",
        })).OkAsync<JsonElement>();

        // The child is back (already in school now): no registry change needed; then close-out with evidence, approved.
        var again = await (await school.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/return", new { ReturnedOn = today.AddDays(-20), Placement = "OriginalSchool", ClassId = cls })).OkAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, again.GetProperty("statusChangeId").ValueKind);
        (await school.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/follow-up", new { SupportPlan = "继续跟踪", Until = today.AddDays(-1) })).EnsureSuccessStatusCode();
        (await school.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/close-out", new { Reason = "复学后稳定就读一学期" })).EnsureSuccessStatusCode();
        (await school.PostAsync("/api/v1/attachments", CaseworkApp.Upload("case", caseId, (Pdf, "复学证明.pdf")))).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden, (await school.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/close-out/decision", new { Approve = true })).StatusCode);
        var closed = await (await county.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/close-out/decision", new { Approve = true })).OkAsync<JsonElement>();
        Assert.Equal("Closed", closed.GetProperty("state").GetString());

        await using (var db = app.Db())
        {
            var entry = await db.LedgerEntries.SingleAsync(e => e.Id == entryId);
            Assert.Equal(LedgerEntryState.Closed, entry.State);
            Assert.Equal(LedgerClosure.CaseClosed, entry.Closure);
        }
        // Closed cases stay readable, and take nothing new.
        var timeline = await school.GetStringAsync($"/api/v1/ledger/cases/{caseId}/timeline");
        Assert.Contains("销号", timeline, StringComparison.Ordinal);
        Assert.Contains("复学证明.pdf", timeline, StringComparison.Ordinal);
        var late = await (await village.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/attempts", new
        {
            ClientKey = Guid.NewGuid().ToString("N"), On = today, People = "村主任", Method = "Phone", Said = "回访", GuardianAttitude = "Supportive", ChildAttitude = "Supportive", Outcome = "AgreedToReturn",
        })).RefusedAsync();
        Assert.Contains("销号", late["State"][0], StringComparison.Ordinal);
        var page = WebUtility.HtmlDecode((await Pages.GetAsync(school, $"/casework/cases/{caseId}")).Html);
        Assert.Contains("closed-note", page, StringComparison.Ordinal);
    }


    [Fact]
    public async Task Deadlines_count_school_days_and_working_days_across_weekends_holidays_and_make_up_days()
    {
        var (caseId, _, _) = await app.CaseAsync(state: LedgerCaseState.Persuading);
        await using var db = app.Db();
        var today = db.County.Today;
        var county = PlacePath.County(app.VillagePath)!;
        var countyDays = await db.CalendarDays.Where(d => d.SchoolId == null && d.Path == county).ToDictionaryAsync(d => d.Date, d => d.IsSchoolDay);
        // A holiday on the first free weekday after tomorrow, and a make-up school day (调休) on the first free Saturday.
        var holiday = Enumerable.Range(2, 20).Select(today.AddDays).First(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !countyDays.ContainsKey(d));
        var makeUp = Enumerable.Range(1, 20).Select(today.AddDays).First(d => d.DayOfWeek == DayOfWeek.Saturday && !countyDays.ContainsKey(d));
        // For the ledger's office steps: a Friday three weeks back, its Monday a holiday and its next Saturday a make-up day.
        var friday = Enumerable.Range(21, 7).Select(n => today.AddDays(-n)).First(d => d.DayOfWeek == DayOfWeek.Friday);
        foreach (var (day, school, name) in new[] { (holiday, false, "测试假日"), (makeUp, true, "测试调休上课"), (friday.AddDays(3), false, "测试假日"), (friday.AddDays(8), true, "测试调休上班") })
        {
            db.CalendarDays.Add(new CalendarDay { Date = day, IsSchoolDay = school, Name = name, Path = county });
            countyDays[day] = school;
        }
        await db.SaveChangesAsync();

        // 责令限期改正 with no date: ten school days of the child's school — weekends, the holiday and the school holidays skipped, the make-up Saturday counted.
        using var bureau = await app.ClientAsync("bureau.staff");
        var notice = await (await bureau.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/notices", new { Kind = "OrderToCorrect", Issuer = "Bureau" })).OkAsync<JsonElement>();
        var deadline = DateOnly.Parse(notice.GetProperty("deadlineOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var terms = await db.Terms.Select(t => new { t.StartDate, t.EndDate }).ToListAsync();
        var own = await db.CalendarDays.Where(d => d.SchoolId == app.SchoolId).ToDictionaryAsync(d => d.Date, d => d.IsSchoolDay);
        bool SchoolDay(DateOnly d) => terms.Any(t => t.StartDate <= d && d <= t.EndDate)
            && (own.TryGetValue(d, out var o) ? o : countyDays.TryGetValue(d, out var c) ? c : d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        var expected = today;
        for (var counted = 0; counted < 10;)
        {
            expected = expected.AddDays(1);
            counted += SchoolDay(expected) ? 1 : 0;
        }
        Assert.Equal(expected, deadline);
        Assert.NotEqual(today.AddDays(10), deadline);
        Assert.True(deadline > holiday && SchoolDay(deadline));

        // Verifying a tip: five working days. Reported on the Friday: Tue, Wed, Thu, Fri and the make-up Saturday.
        var (_, entryId, _) = await app.NeverEnrolledCaseAsync(withId: false);
        var entry = await db.LedgerEntries.Include(e => e.Case).SingleAsync(e => e.Id == entryId);
        db.LedgerCases.Remove(entry.Case!);
        entry.State = LedgerEntryState.Reported;
        entry.ReportedOn = friday;
        await db.SaveChangesAsync();
        var item = (await Baoxue.Features.Ledger.LedgerCounts.ItemsAsync(db, default)).Single(i => i.EntryId == entryId);
        var days = await Baoxue.Features.Ledger.DeadlineDays.LoadAsync(db, today);
        Assert.Equal(("verify", friday.AddDays(8)), Baoxue.Features.Ledger.LedgerCounts.Waiting(db, item, new Baoxue.Features.Ledger.LedgerOptions(), days));
    }

    [Fact]
    public async Task A_never_enrolled_child_is_enrolled_from_the_case_once_even_when_the_phone_sends_the_return_twice()
    {
        var (caseId, entryId, name) = await app.NeverEnrolledCaseAsync(withId: false);
        await using var arrange = app.Db();
        var today = arrange.County.Today;
        var cls = await arrange.Classes.Where(c => c.SchoolId == app.SchoolId && c.Grade == 3 && c.SchoolYear!.IsCurrent).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        var url = $"/api/v1/ledger/cases/{caseId}/return";

        // A village cadre does not enrol children: refused, nothing recorded.
        using var village = await app.ClientAsync("village.cadre");
        var refused = await (await village.PostJsonAsync(url, new { ReturnedOn = today, Placement = "OtherSchool", ClassId = cls, Ethnicity = "01", RegistryNumber = "J350123201702010001" })).RefusedAsync();
        Assert.Contains("学籍", refused["Placement"][0], StringComparison.Ordinal);

        // Bad input names its fields in Chinese and changes nothing.
        using var bureau = await app.ClientAsync("bureau.staff");
        var bad = await (await bureau.PostJsonAsync(url, new { ReturnedOn = today, Placement = "OtherSchool", ClassId = cls, Ethnicity = "火星族" })).RefusedAsync();
        Assert.Contains("学籍号", bad["RegistryNumber"][0], StringComparison.Ordinal);
        Assert.Contains("民族", bad["Ethnicity"][0], StringComparison.Ordinal);
        var noClass = await (await bureau.PostJsonAsync(url, new { ReturnedOn = today, Placement = "OtherSchool", Ethnicity = "01" })).RefusedAsync();
        Assert.Contains("班级", noClass["ClassId"][0], StringComparison.Ordinal);
        await using (var db = app.Db())
        {
            Assert.Equal(0, await db.Students.IgnoreQueryFilters().CountAsync(s => s.Name == name));
            Assert.Equal(LedgerCaseState.Persuading, (await db.LedgerCases.SingleAsync(c => c.Id == caseId)).State);
        }

        // The phone sends the same return several times at once: one student, one return; the others are told it was dealt with.
        var registry = $"J350123{(app.Provider == "Postgres" ? 2 : 1)}{Math.Abs(caseId.GetHashCode()) % 100_000_000_000:00000000000}";
        var body = new { ReturnedOn = today, Placement = "OtherSchool", ClassId = cls, Ethnicity = "01", RegistryNumber = registry, Note = "经劝返入学" };
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.ClientAsync("bureau.staff")));
        var responses = await Task.WhenAll(clients.Select(c => c.PostJsonAsync(url, body)));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Single(statuses, HttpStatusCode.OK);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{s}"));
        foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Contains("已被他人处理", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var ok = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).OkAsync<JsonElement>();
        var studentId = ok.GetProperty("enrolledStudentId").GetGuid();
        Assert.Equal("Returned", ok.GetProperty("case").GetProperty("state").GetString());

        await using (var db = app.Db())
        {
            var student = await db.Students.IgnoreQueryFilters().SingleAsync(s => s.Name == name);
            Assert.Equal(studentId, student.Id);
            Assert.Equal(cls, student.ClassId);
            Assert.Equal(registry, student.RegistryNumber);
            Assert.Equal(today, student.EnrolledOn);
            var entry = await db.LedgerEntries.SingleAsync(e => e.Id == entryId);
            Assert.Equal(studentId, entry.StudentId);
            Assert.Equal(LedgerEntry.KeyOfStudent(studentId), entry.ChildKey);
            var c = await db.LedgerCases.SingleAsync(x => x.Id == caseId);
            Assert.Equal(LedgerCaseState.Returned, c.State);
            Assert.Equal(app.SchoolId, c.PlacementSchoolId);
            Assert.Equal(student.Path, c.Path); // the school reaches the case now, the village still does
            Assert.Equal(student.Path, entry.Path);
            var key = studentId.ToString();
            Assert.Equal("bureau.staff", (await db.AuditEntries.SingleAsync(a => a.EntityType == nameof(Student) && a.EntityId == key && a.Action == AuditAction.Create)).UserName);
        }

        using (var school = await app.ClientAsync("school.admin"))
        {
            Assert.Equal(HttpStatusCode.OK, await CaseworkApp.StatusAsync(school, $"/api/v1/ledger/cases/{caseId}/timeline"));
        }
        Assert.Equal(HttpStatusCode.OK, await CaseworkApp.StatusAsync(village, $"/api/v1/ledger/cases/{caseId}/timeline"));

        // The child is now a registry student: a new absence reports them by it and reopens this case in follow-up (反弹), no second entry.
        (await bureau.PostJsonAsync($"/api/v1/ledger/cases/{caseId}/follow-up", new { SupportPlan = "班主任每周家访" })).EnsureSuccessStatusCode();
        await using (var db = app.Db())
        {
            var intake = Baoxue.Features.Ledger.LedgerIntake.For(db, app.Services.GetRequiredService<Baoxue.Infrastructure.Security.PersonalData>());
            var result = await intake.ReportAsync(new Baoxue.Features.Ledger.LedgerReport(studentId, null, Baoxue.Features.Ledger.LedgerList.SuspectedDropout,
                Baoxue.Features.Ledger.LedgerSource.Attendance, "test-" + Guid.NewGuid().ToString("N"), "连续缺勤", today), default);
            await db.SaveChangesAsync();
            Assert.Equal(Baoxue.Features.Ledger.LedgerIntakeOutcome.Reopened, result.Outcome);
            Assert.Equal(entryId, result.EntryId);
        }
    }

    [Fact]
    public void The_suggested_grade_follows_the_time_out()
    {
        var o = new Baoxue.Features.Casework.CaseworkOptions();
        var born = new DateOnly(2015, 3, 1);
        var left = new DateOnly(2026, 3, 1);
        Assert.Equal((5, Baoxue.Features.Casework.CaseworkRules.GradeRule.SameGrade), Pick(Baoxue.Features.Casework.CaseworkRules.SuggestGrade(5, left, left.AddMonths(2), born, o)));
        Assert.Equal((4, Baoxue.Features.Casework.CaseworkRules.GradeRule.OneLower), Pick(Baoxue.Features.Casework.CaseworkRules.SuggestGrade(5, left, left.AddMonths(3), born, o)));
        Assert.Equal((4, Baoxue.Features.Casework.CaseworkRules.GradeRule.OneLower), Pick(Baoxue.Features.Casework.CaseworkRules.SuggestGrade(5, left, left.AddMonths(12), born, o)));
        // Out 13 months (back April 2027, the 2026 school year), born March 2015: 11 by 31 August 2026 → grade 6.
        Assert.Equal((6, Baoxue.Features.Casework.CaseworkRules.GradeRule.ByAge), Pick(Baoxue.Features.Casework.CaseworkRules.SuggestGrade(5, left, left.AddMonths(13), born, o)));
        Assert.Equal("二〇二六年十二月一日", Baoxue.Features.Casework.CaseworkRules.OfficialDate(new DateOnly(2026, 12, 1)));
        Assert.Equal("二〇二七年十月三十一日", Baoxue.Features.Casework.CaseworkRules.OfficialDate(new DateOnly(2027, 10, 31)));

        static (int, Baoxue.Features.Casework.CaseworkRules.GradeRule) Pick(Baoxue.Features.Casework.CaseworkRules.GradeSuggestion s) => (s.Grade, s.Rule);
    }
}

public sealed class CaseworkSqliteTests(CaseworkSqliteApp app) : CaseworkTests<CaseworkSqliteApp>(app);

public sealed class CaseworkPostgresTests(CaseworkPostgresApp app) : CaseworkTests<CaseworkPostgresApp>(app);

using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Baoxue.Infrastructure.Security;
using Baoxue.Tests.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Baoxue.Features.Ledger.LedgerApi;

namespace Baoxue.Tests.Features.Ledger;

/// <summary>
/// The ledger through the API on both databases: each source, one open entry per child (also under a race), verification
/// and approval, case assignment, scope by school and by where the child lives, the department import, the export,
/// the counts and the tasks.
/// </summary>
public abstract class LedgerTests<TApp>(TApp app) where TApp : LedgerApp
{
    private static readonly JsonSerializerOptions Json = LedgerApp.Json;
    private static int _children;

    private async Task<HttpResponseMessage> PostAsync(string user, string url, object body)
    {
        using var client = await app.ClientAsync(user);
        return await client.PostAsJsonAsync(url, body, Json);
    }

    private async Task<HttpResponseMessage> GetAsync(string user, string url)
    {
        using var client = await app.ClientAsync(user);
        return await client.GetAsync(url);
    }

    private static async Task<T> OkAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    private static async Task<string> StatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>A child never enrolled, living in <paramref name="village"/>; a fresh name each time.</summary>
    private object Unregistered(Division village, string list = "NotEnrolled")
    {
        var n = Interlocked.Increment(ref _children);
        return new
        {
            list, reason = "村干部反映：秋季未到校报到", name = $"台账童{(char)('甲' + n)}{app.Provider[0]}", birthDate = new DateOnly(2019, 3, 1).AddDays(n * 7),
            gender = n % 2 == 0 ? "Female" : "Male", householdDivisionCode = village.Code,
        };
    }

    private async Task<Guid> TipAsync(string user, object body)
    {
        var result = await OkAsync<IntakeDto>(await PostAsync(user, "/api/v1/ledger/entries", body));
        Assert.Equal(LedgerIntakeOutcome.Opened, result.Outcome);
        return result.EntryId;
    }

    private async Task<EntryDetailDto> EntryAsync(string user, Guid id) => await OkAsync<EntryDetailDto>(await GetAsync(user, $"/api/v1/ledger/entries/{id}"));

    private async Task<(Guid Staff, Guid Cadre)> LinesAsync(Guid entryId)
    {
        await using var db = app.Db();
        var entry = await db.LedgerEntries.SingleAsync(e => e.Id == entryId);
        var teacher = await db.Staff.Where(s => s.SchoolId == app.OwnSchoolId && s.Post == "校长").Select(s => s.Id).FirstAsync();
        var cadre = await db.Staff.Where(s => s.Path == entry.ResidencePath).Select(s => s.Id).FirstAsync();
        return (teacher, cadre);
    }

    [Fact]
    public async Task A_tip_is_verified_approved_and_opens_a_case_the_township_assigns_to_both_lines()
    {
        var id = await TipAsync("village.cadre", Unregistered(app.OwnVillage));
        var entry = await EntryAsync("village.cadre", id);
        Assert.Equal(LedgerEntryState.Reported, entry.Entry.State);
        Assert.True(entry.Entry.IsNew);
        Assert.Equal(LedgerSource.Tip, entry.Entry.Source);
        Assert.True(entry.CanVerify);

        // The reporter verifies (the child lives in their village); the township approves, not the verifier.
        var verified = await OkAsync<EntryDetailDto>(await PostAsync("village.cadre", $"/api/v1/ledger/entries/{id}/verification", new { outcome = "Dropout", note = "家访见到父亲，孩子在家。" }));
        Assert.Equal(LedgerEntryState.AwaitingApproval, verified.Entry.State);
        await StatusAsync(await PostAsync(LedgerApp.OtherTownshipCadre, $"/api/v1/ledger/entries/{id}/approval", new { approve = true }), HttpStatusCode.NotFound);
        var approved = await OkAsync<EntryDetailDto>(await PostAsync("township.cadre", $"/api/v1/ledger/entries/{id}/approval", new { approve = true, note = "同意" }));
        Assert.Equal(LedgerEntryState.Confirmed, approved.Entry.State);
        Assert.NotNull(approved.Case);
        Assert.Equal(LedgerCaseState.Opened, approved.Case!.State);
        Assert.True(approved.CanAssign);

        // Both lines are required, then named.
        var refused = await StatusAsync(await PostAsync("township.cadre", $"/api/v1/ledger/cases/{approved.Case.Id}/assignment", new { }), HttpStatusCode.BadRequest);
        Assert.Contains("教育线责任人", refused);
        Assert.Contains("政府线责任人", refused);
        var (teacher, cadre) = await LinesAsync(id);
        var assigned = await OkAsync<EntryDetailDto>(await PostAsync("township.cadre", $"/api/v1/ledger/cases/{approved.Case.Id}/assignment", new { educationStaffId = teacher, governmentStaffId = cadre }));
        Assert.Equal(LedgerCaseState.Assigned, assigned.Case!.State);
        Assert.Equal(teacher, assigned.Case.EducationStaffId);
        Assert.Equal(cadre, assigned.Case.GovernmentStaffId);
        Assert.Equal("township.cadre", assigned.Case.AssignedBy);

        // Every transition is in the audit log with its before and after, and in the entry's history.
        await using var db = app.Db();
        var lines = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == nameof(LedgerEntry) && a.EntityId == id.ToString()).OrderBy(a => a.Sequence).ToListAsync();
        Assert.Equal(AuditAction.Create, lines[0].Action);
        Assert.Contains(lines, l => l.UserName == "village.cadre" && l.Before != null && l.Before.Contains("\"State\":1") && l.After!.Contains("\"State\":3"));
        Assert.Contains(lines, l => l.UserName == "township.cadre" && l.Before != null && l.Before.Contains("\"State\":3") && l.After!.Contains("\"State\":4"));
        Assert.Contains(await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == nameof(LedgerCase) && a.EntityId == approved.Case.Id.ToString()).ToListAsync(),
            l => l.Before != null && l.Before.Contains("\"State\":1") && l.After!.Contains("\"State\":2"));
        Assert.Equal(["Reported", "AwaitingApproval", "Confirmed", "Opened", "Assigned"], assigned.History.Select(h => h.To!).ToArray());
    }

    [Fact]
    public async Task The_verifier_may_not_approve_their_own_verification_and_a_send_back_needs_a_note()
    {
        var id = await TipAsync("county.admin", Unregistered(app.OwnVillage, "SuspectedDropout"));
        await OkAsync<EntryDetailDto>(await PostAsync("county.admin", $"/api/v1/ledger/entries/{id}/verification", new { outcome = "Dropout", note = "电话核实" }));
        Assert.Contains("不能审核自己", await StatusAsync(await PostAsync("county.admin", $"/api/v1/ledger/entries/{id}/approval", new { approve = true }), HttpStatusCode.BadRequest));
        Assert.Contains("审核意见", await StatusAsync(await PostAsync("bureau.staff", $"/api/v1/ledger/entries/{id}/approval", new { approve = false }), HttpStatusCode.BadRequest));
        var back = await OkAsync<EntryDetailDto>(await PostAsync("bureau.staff", $"/api/v1/ledger/entries/{id}/approval", new { approve = false, note = "请补充在读证明" }));
        Assert.Equal(LedgerEntryState.Verifying, back.Entry.State);
    }

    [Fact]
    public async Task A_non_dropout_outcome_closes_the_entry_with_its_reason_and_needs_the_school_named()
    {
        var id = await TipAsync("village.cadre", Unregistered(app.OwnVillage, "SuspectedDropout"));
        var refused = await StatusAsync(await PostAsync("village.cadre", $"/api/v1/ledger/entries/{id}/verification", new { outcome = "StudyingElsewhere", note = "家长说在外地上学" }), HttpStatusCode.BadRequest);
        Assert.Contains("elsewhereSchool", refused, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("就读学校", refused);
        await OkAsync<EntryDetailDto>(await PostAsync("village.cadre", $"/api/v1/ledger/entries/{id}/verification",
            new { outcome = "StudyingElsewhere", elsewhereSchool = "福州市鼓楼区实验小学", elsewhereInCounty = false, note = "取得在读证明" }));
        var closed = await OkAsync<EntryDetailDto>(await PostAsync("township.cadre", $"/api/v1/ledger/entries/{id}/approval", new { approve = true }));
        Assert.Equal(LedgerEntryState.Closed, closed.Entry.State);
        Assert.Equal(LedgerClosure.NotADropout, closed.Closure);
        Assert.Equal(VerificationOutcome.StudyingElsewhere, closed.Entry.Outcome);
        Assert.Equal("福州市鼓楼区实验小学", closed.ElsewhereSchool);
        Assert.Null(closed.Case);
    }

    [Fact]
    public async Task An_illegal_transition_is_refused_with_409_and_a_Chinese_message_and_changes_nothing()
    {
        var id = await TipAsync("county.admin", Unregistered(app.OwnVillage));
        Assert.Contains("状态", await StatusAsync(await PostAsync("bureau.staff", $"/api/v1/ledger/entries/{id}/approval", new { approve = true }), HttpStatusCode.Conflict));
        await OkAsync<EntryDetailDto>(await PostAsync("county.admin", $"/api/v1/ledger/entries/{id}/verification", new { outcome = "Dropout", note = "核实" }));
        await OkAsync<EntryDetailDto>(await PostAsync("bureau.staff", $"/api/v1/ledger/entries/{id}/approval", new { approve = true }));
        var body = await StatusAsync(await PostAsync("county.admin", $"/api/v1/ledger/entries/{id}/verification", new { outcome = "Duplicate", note = "再核" }), HttpStatusCode.Conflict);
        Assert.Contains("不允许", body);
        Assert.Equal(LedgerEntryState.Confirmed, (await EntryAsync("county.admin", id)).Entry.State);
    }

    [Fact]
    public async Task A_village_cadre_sees_a_child_living_in_their_village_though_schooled_elsewhere_and_another_township_sees_nothing()
    {
        var cls = await app.ClassAsync(app.FarSchoolId, 4);
        var (studentId, _) = await app.EnrolAsync("county.admin", cls.Id, 4);
        var id = await TipAsync("county.admin", new { list = "SuspectedDropout", reason = "连续两周未到校", studentId, householdDivisionCode = app.OwnVillage.Code });

        var seen = await OkAsync<Baoxue.Infrastructure.Paging.PagedResult<EntryDto>>(await GetAsync("village.cadre", "/api/v1/ledger/entries?pageSize=200"));
        Assert.Contains(seen.Items, e => e.Id == id && e.StudentId == studentId);
        Assert.True((await EntryAsync("village.cadre", id)).CanVerify);
        var other = await OkAsync<Baoxue.Infrastructure.Paging.PagedResult<EntryDto>>(await GetAsync(LedgerApp.OtherVillageCadre, "/api/v1/ledger/entries?pageSize=200"));
        Assert.DoesNotContain(other.Items, e => e.Id == id);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(LedgerApp.OtherVillageCadre, $"/api/v1/ledger/entries/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(LedgerApp.OtherVillageCadre, $"/api/v1/ledger/entries/{id}/verification", new { outcome = "Dropout", note = "x" })).StatusCode);
        // The registrar of the child's own school (in the county town) does not see a child of another school.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("school.admin", $"/api/v1/ledger/entries/{id}")).StatusCode);
        // The village cadre's own list, as a page.
        using var client = await app.ClientAsync("village.cadre");
        Assert.Contains(seen.Items.First(e => e.Id == id).Name, await client.PageTextAsync("/ledger"));
    }

    [Fact]
    public async Task One_open_entry_per_child_is_held_by_the_database_even_when_two_report_at_once()
    {
        var cls = await app.ClassAsync(app.OwnSchoolId, 5);
        var (studentId, _) = await app.EnrolAsync("school.admin", cls.Id, 5);
        var body = new { list = "SuspectedDropout", reason = "两人同时报告", studentId };
        var results = await Task.WhenAll(PostAsync("school.admin", "/api/v1/ledger/entries", body), PostAsync("county.admin", "/api/v1/ledger/entries", body));
        var outcomes = new List<IntakeDto>();
        foreach (var r in results)
        {
            outcomes.Add(await OkAsync<IntakeDto>(r));
        }
        Assert.Equal([LedgerIntakeOutcome.Opened, LedgerIntakeOutcome.AlreadyOpen], outcomes.Select(o => o.Outcome).Order().ToArray());
        Assert.Single(outcomes.Select(o => o.EntryId).Distinct());
        await using var db = app.Db();
        var key = LedgerEntry.KeyOfStudent(studentId);
        Assert.Equal(1, await db.LedgerEntries.CountAsync(e => e.ChildKey == key));
        Assert.Equal(2, await db.LedgerReportReceipts.CountAsync(r => r.EntryId == outcomes[0].EntryId));

        // Straight to the database, past the code's check: the partial unique index refuses a second open entry.
        var existing = await db.LedgerEntries.AsNoTracking().SingleAsync(e => e.ChildKey == key);
        db.LedgerEntries.Add(new LedgerEntry { ChildKey = key, Name = existing.Name, SourceKey = "x", Reason = "x", ReportedBy = "test", Path = existing.Path, BirthDate = existing.BirthDate,
            Gender = existing.Gender, List = LedgerList.Dropout, Source = LedgerSource.Tip, ReportedOn = existing.ReportedOn });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task The_intake_is_idempotent_by_source_key_reopens_a_case_in_follow_up_and_hears_a_return()
    {
        var cls = await app.ClassAsync(app.OwnSchoolId, 6);
        var (studentId, _) = await app.EnrolAsync("school.admin", cls.Id, 6);
        var personal = app.Services.GetRequiredService<PersonalData>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        LedgerIntakeResult first;
        await using (var db = app.Db())
        {
            var intake = LedgerIntake.For(db, personal);
            first = await intake.ReportAsync(new LedgerReport(studentId, null, LedgerList.SuspectedDropout, LedgerSource.Attendance, $"attendance:{studentId}:1", "连续 6 个上课日无故缺勤", today), default);
            Assert.Equal(LedgerIntakeOutcome.Opened, first.Outcome);
            // Reported twice in one unit of work, or again later: nothing more.
            Assert.Equal(LedgerIntakeOutcome.Duplicate, (await intake.ReportAsync(new LedgerReport(studentId, null, LedgerList.SuspectedDropout, LedgerSource.Attendance, $"attendance:{studentId}:1", "重复", today), default)).Outcome);
            await db.SaveChangesAsync();
        }
        await using (var db = app.Db())
        {
            Assert.Equal(LedgerIntakeOutcome.Duplicate, (await LedgerIntake.For(db, personal).ReportAsync(new LedgerReport(studentId, null, LedgerList.Dropout, LedgerSource.Attendance, $"attendance:{studentId}:1", "重复", today), default)).Outcome);
            // The child came back: the attendance entry not yet verified closes.
            await LedgerIntake.For(db, personal).ReturnedAsync(studentId, LedgerSource.Attendance, today, default);
            await db.SaveChangesAsync();
            var closed = await db.LedgerEntries.AsNoTracking().SingleAsync(e => e.Id == first.EntryId);
            Assert.Equal((LedgerEntryState.Closed, LedgerClosure.Returned), (closed.State, closed.Closure));
        }

        // A new absence: a new entry, not new to the ledger; confirmed, returned, in follow-up; a relapse reopens its case.
        Guid second;
        await using (var db = app.Db())
        {
            var r = await LedgerIntake.For(db, personal).ReportAsync(new LedgerReport(studentId, null, LedgerList.SuspectedDropout, LedgerSource.Attendance, $"attendance:{studentId}:2", "再次缺勤", today), default);
            Assert.Equal(LedgerIntakeOutcome.Opened, r.Outcome);
            second = r.EntryId;
            await db.SaveChangesAsync();
            var entry = await db.LedgerEntries.SingleAsync(e => e.Id == second);
            Assert.False(entry.IsNew);
            entry.Move(LedgerEntryTrigger.Verify);
            entry.Outcome = VerificationOutcome.Dropout;
            entry.Move(LedgerEntryTrigger.Confirm);
            var c = new LedgerCase { EntryId = second, Path = entry.Path, State = LedgerCaseState.FollowUp, ReturnedOn = today };
            db.LedgerCases.Add(c);
            await db.SaveChangesAsync();
        }
        await using (var db = app.Db())
        {
            var r = await LedgerIntake.For(db, personal).ReportAsync(new LedgerReport(studentId, null, LedgerList.SuspectedDropout, LedgerSource.Attendance, $"attendance:{studentId}:3", "跟踪期内又缺勤", today), default);
            Assert.Equal((LedgerIntakeOutcome.Reopened, second), (r.Outcome, r.EntryId));
            await db.SaveChangesAsync();
            var c = await db.LedgerCases.AsNoTracking().SingleAsync(x => x.EntryId == second);
            Assert.Equal((LedgerCaseState.Reopened, 1), (c.State, c.ReopenCount));
        }
    }

    [Fact]
    public async Task A_child_on_the_unconfirmed_transfer_list_goes_on_the_ledger_in_one_call_once()
    {
        var cls = await app.ClassAsync(app.OwnSchoolId, 2);
        var (studentId, _) = await app.EnrolAsync("school.admin", cls.Id, 2);
        var changeId = Guid.CreateVersion7();
        await using (var db = app.Db())
        {
            var student = await db.Students.SingleAsync(s => s.Id == studentId);
            // A transfer out the receiving school has not confirmed for a month: on the registry's unconfirmed list.
            db.StatusChanges.Add(new StatusChange
            {
                Id = changeId, StudentId = studentId, Kind = StatusChangeKind.TransferOut, State = StatusChangeState.Pending, AwaitingStage = ApprovalStage.ReceivingSchool,
                Reason = "随父母外出", EffectiveOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-30)), RequestedAt = DateTime.UtcNow.AddDays(-30), RequestedBy = "school.admin",
                FromSchoolId = student.SchoolId, ExternalSchool = "厦门市思明区某小学", Path = student.Path,
            });
            await db.SaveChangesAsync();
        }
        var result = await OkAsync<IntakeDto>(await PostAsync("school.admin", $"/api/v1/ledger/entries/from-transfer/{changeId}", new { }));
        Assert.Equal(LedgerIntakeOutcome.Opened, result.Outcome);
        var entry = await EntryAsync("school.admin", result.EntryId);
        Assert.Equal((LedgerSource.UnconfirmedTransfer, LedgerList.SuspectedDropout, studentId), (entry.Entry.Source, entry.Entry.List, entry.Entry.StudentId));
        Assert.Contains("厦门市思明区某小学", entry.Entry.Reason);
        Assert.Equal(LedgerIntakeOutcome.Duplicate, (await OkAsync<IntakeDto>(await PostAsync("school.admin", $"/api/v1/ledger/entries/from-transfer/{changeId}", new { }))).Outcome);
        // A change that is not on the list is refused by name.
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("school.admin", $"/api/v1/ledger/entries/from-transfer/{Guid.NewGuid()}", new { })).StatusCode);
    }

    private static readonly string[] ImportHeaders = ["姓名", "身份证号", "出生日期", "性别", "户籍所在村（社区）", "详细地址", "名单类别", "情况说明", "报送单位"];

    [Fact]
    public async Task A_department_list_with_one_bad_row_changes_nothing_and_a_good_one_is_imported_once()
    {
        using var client = await app.ClientAsync("bureau.staff");
        int before;
        await using (var db = app.Db())
        {
            before = await db.LedgerEntries.CountAsync();
        }
        var suffix = app.Provider[0];
        string?[] Row(string name, string village, string list = "适龄未入学") => [name, "", "2019-04-05", "男", village, "", list, "建档立卡户子女，未入学", "县乡村振兴局"];
        var bad = OrganisationKit.Xlsx(ImportHeaders, Row($"导入甲{suffix}", app.OwnVillage.Code), Row($"导入乙{suffix}", "没有这个村"), Row($"导入丙{suffix}", app.OtherVillage.Code, "不知道"));
        var report = await client.ImportAsync("/api/v1/ledger/import", bad, "名单.xlsx", HttpStatusCode.UnprocessableEntity);
        Assert.False(report.Succeeded);
        Assert.Equal([3, 4], report.Problems.Select(p => p.Row).ToArray());
        Assert.Contains(report.Problems, p => p.Column == "户籍所在村（社区）" && p.Reason.Contains("本县"));
        await using (var db = app.Db())
        {
            Assert.Equal(before, await db.LedgerEntries.CountAsync());
        }

        var good = OrganisationKit.Xlsx(ImportHeaders, Row($"导入甲{suffix}", app.OwnVillage.Code), Row($"导入乙{suffix}", app.OtherVillage.Code, "疑似辍学"));
        var done = await client.ImportAsync("/api/v1/ledger/import", good, "名单.xlsx", HttpStatusCode.OK);
        Assert.Equal((2, 0), (done.Created, done.Updated));
        var again = await client.ImportAsync("/api/v1/ledger/import", good, "名单.xlsx", HttpStatusCode.OK);
        Assert.Equal((0, 0), (again.Created, again.Updated));
        await using (var db = app.Db())
        {
            var imported = await db.LedgerEntries.AsNoTracking().Where(e => e.Source == LedgerSource.DepartmentList && e.Name.StartsWith("导入") && e.Name.EndsWith(suffix.ToString())).ToListAsync();
            Assert.Equal(2, imported.Count);
            Assert.All(imported, e => Assert.StartsWith("县乡村振兴局", e.Reason, StringComparison.Ordinal));
            Assert.Contains(imported, e => e.ResidencePath == app.OtherVillage.Path && e.List == LedgerList.SuspectedDropout);
        }
        // The template carries the import's own headers.
        var template = await client.GetAsync("/api/v1/ledger/import/template");
        Assert.Equal(ImportHeaders, OrganisationKit.ReadSheet(await template.Content.ReadAsByteArrayAsync()).Headers);
    }

    [Fact]
    public async Task The_export_is_one_row_per_child_with_Chinese_headers_a_titled_jurisdiction_and_masked_ids()
    {
        var village = app.OwnVillage;
        var idNumber = new Baoxue.Features.Demo.ChineseNames(77).IdNumberFor("350123", new DateOnly(2018, 6, 1), Gender.Female);
        var name = "导出童" + app.Provider[0];
        await TipAsync("township.cadre", new { list = "NotEnrolled", reason = "未入学", name, idNumber, householdDivisionCode = village.Code });
        using var client = await app.ClientAsync("township.cadre");
        var response = await client.GetAsync("/api/v1/ledger/export?list=NotEnrolled");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var (headers, rows) = OrganisationKit.ReadSheet(bytes);
        Assert.Equal(["序号", "名单类别", "姓名", "性别", "身份证号", "出生日期"], headers.Take(6).ToArray());
        var row = rows.Single(r => r[2].Text == name);
        Assert.Equal("适龄未入学", row[1].Text);
        // A township cadre may not reveal IDs: only the region shows, and the birth month.
        Assert.Equal("350123************", row[4].Text);
        Assert.Equal("2018-06", row[5].Text);
        Assert.All(rows, r => Assert.Equal("适龄未入学", r[1].Text));
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var all = string.Concat(zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal)).Select(e => new StreamReader(e.Open()).ReadToEnd()));
        Assert.Contains("凤山镇", all);
        Assert.DoesNotContain(idNumber, all);
        await using var db = app.Db();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.Export && a.EntityType == nameof(LedgerEntry) && a.UserName == "township.cadre"));
    }

    [Fact]
    public async Task Counts_and_tasks_show_what_waits_for_whom()
    {
        var id = await TipAsync("county.admin", Unregistered(app.OwnVillage, "Dropout"));
        var counts = await OkAsync<LedgerCounts.Board>(await GetAsync("township.cadre", "/api/v1/ledger/counts"));
        var township = counts.Townships.Single(t => t.Key == app.OwnVillage.Path[..app.OwnVillage.Path.TrimEnd('/').LastIndexOf('/')] + "/");
        Assert.True(township.Dropout >= 1 && township.Reported >= 1 && township.Open >= township.Dropout);
        Assert.Equal(counts.Total.Open, counts.Townships.Sum(t => t.Open));
        Assert.DoesNotContain((await OkAsync<LedgerCounts.Board>(await GetAsync(LedgerApp.OtherVillageCadre, "/api/v1/ledger/counts"))).Townships, t => t.Key == township.Key);

        using var village = await app.ClientAsync("village.cadre");
        var home = JsonDocument.Parse(await village.GetStringAsync("/api/v1/home")).RootElement.GetProperty("tasks").EnumerateArray().ToList();
        var verify = home.Single(t => t.GetProperty("key").GetString() == "Ledger.Task.Verify");
        Assert.True(verify.GetProperty("count").GetInt32() >= 1);
        Assert.Equal("待核查的台账", verify.GetProperty("label").GetString());
        Assert.True(verify.TryGetProperty("due", out var due) && due.ValueKind == JsonValueKind.String);
        // The count beside the menu.
        var page = await (await village.GetAsync("/ledger")).Content.ReadAsStringAsync();
        Assert.Contains("id=\"task-count\"", page);
        await OkAsync<EntryDetailDto>(await PostAsync("village.cadre", $"/api/v1/ledger/entries/{id}/verification", new { outcome = "Dropout", note = "核实" }));
        using var town = await app.ClientAsync("township.cadre");
        var tasks = JsonDocument.Parse(await town.GetStringAsync("/api/v1/home")).RootElement.GetProperty("tasks").EnumerateArray();
        Assert.Contains(tasks, t => t.GetProperty("key").GetString() == "Ledger.Task.Approve");
    }

    [Fact]
    public async Task A_tip_with_bad_input_names_each_field_in_Chinese_and_writes_nothing()
    {
        await using var db = app.Db();
        var before = await db.LedgerEntries.CountAsync();
        var body = await StatusAsync(await PostAsync("dept.liaison", "/api/v1/ledger/entries", new { reason = "", name = "", idNumber = "123", householdDivisionCode = "999999999999" }), HttpStatusCode.BadRequest);
        foreach (var field in new[] { "list", "reason", "name", "idNumber", "householdDivisionCode" })
        {
            Assert.Contains($"\"{field}\"", body, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("身份证号不正确", body);
        Assert.Equal(before, await db.LedgerEntries.CountAsync());
        // A department liaison's tip lands on the ledger though the child is outside their place.
        var ok = await OkAsync<IntakeDto>(await PostAsync("dept.liaison", "/api/v1/ledger/entries", Unregistered(app.OtherVillage)));
        Assert.Equal(LedgerIntakeOutcome.Opened, ok.Outcome);
        Assert.True((await EntryAsync(LedgerApp.OtherTownshipCadre, ok.EntryId)).Entry.State == LedgerEntryState.Reported);
    }
}

public sealed class LedgerTests_Sqlite(LedgerSqliteApp app) : LedgerTests<LedgerSqliteApp>(app), IClassFixture<LedgerSqliteApp>;

public sealed class LedgerTests_Postgres(LedgerPostgresApp app) : LedgerTests<LedgerPostgresApp>(app), IClassFixture<LedgerPostgresApp>;

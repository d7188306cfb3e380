using Baoxue.Infrastructure.Paging;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Features.Registry;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Features.Registry.StatusChangeApi;

namespace Baoxue.Tests.Features.Registry.StatusChanges;

/// <summary>学籍异动 through the API, on both databases: chains, who may decide, the effect on the student, the unconfirmed list, year-end.</summary>
public abstract partial class StatusChangeTests<TApp>(TApp app) where TApp : StatusChangeApp
{
    private const string Registrar = "school.admin";
    private const string County = "county.admin";
    private const string Bureau = "bureau.staff";
    private const string Other = StatusChangeApp.OtherRegistrar;

    private async Task<HttpResponseMessage> PostAsync(string user, string url, object body)
    {
        using var client = await app.ClientAsync(user);
        return await client.PostAsJsonAsync(url, body, StatusChangeApp.Json);
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
        return JsonSerializer.Deserialize<T>(body, StatusChangeApp.Json)!;
    }

    private static async Task<string> RefusedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        return body;
    }

    private Task<HttpResponseMessage> DecideAsync(string user, Guid id, bool approve, string? comment = null, Guid? toClassId = null) =>
        PostAsync(user, $"/api/v1/status-changes/{id}/decision", new { approve, comment, toClassId });

    private async Task<StatusChangeDetailDto> RequestAsync(string user, object body) =>
        await OkAsync<StatusChangeDetailDto>(await PostAsync(user, "/api/v1/status-changes", body));

    private async Task<string> NameOfAsync(Guid studentId)
    {
        await using var db = app.Db();
        return await db.Students.IgnoreQueryFilters().Where(s => s.Id == studentId).Select(s => s.Name).SingleAsync();
    }

    private async Task<(Guid Id, string IdNumber)> OwnStudentAsync(int grade = 3)
    {
        var cls = await app.ClassAsync(app.OwnSchoolId, grade);
        return await app.EnrolAsync(Registrar, cls.Id, grade);
    }

    [Fact]
    public async Task The_transfer_look_up_needs_the_name_as_well_and_every_look_up_is_audited()
    {
        var (studentId, idNumber) = await OwnStudentAsync();
        var name = await NameOfAsync(studentId);
        int before;
        await using (var db = app.Db())
        {
            before = await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Lookup && a.UserName == Other);
        }

        // The number alone, as the enumeration used it, is refused with a Chinese reason naming the field.
        var refused = await RefusedAsync(await GetAsync(Other, $"/api/v1/status-changes/lookup?number={idNumber}"));
        Assert.Contains("\"name\"", refused);
        Assert.Contains("学生姓名", refused);
        Assert.DoesNotContain(name, refused);
        // The right number with another name finds nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Other, $"/api/v1/status-changes/lookup?number={idNumber}&name={Uri.EscapeDataString("欧阳冒名")}")).StatusCode);
        var found = await OkAsync<LookupDto>(await GetAsync(Other, $"/api/v1/status-changes/lookup?number={idNumber}&name={Uri.EscapeDataString(" " + name + " ")}"));
        Assert.Equal(name, found.Name);

        await using var after = app.Db();
        var lines = (await after.AuditEntries.AsNoTracking().Where(a => a.Action == AuditAction.Lookup && a.UserName == Other).OrderBy(a => a.Sequence).ToListAsync()).Skip(before).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Null(lines[0].EntityId);
        Assert.Contains("false", lines[0].After);
        Assert.Equal(studentId.ToString(), lines[1].EntityId);
        Assert.Contains("true", lines[1].After);
        Assert.All(lines, l => Assert.DoesNotContain(idNumber, l.After ?? ""));
    }

    [Fact]
    public async Task A_transfer_within_the_county_goes_through_each_side_and_moves_the_student()
    {
        var (studentId, idNumber) = await OwnStudentAsync();
        var target = await app.ClassAsync(app.OtherSchoolId, 3);

        // The receiving registrar cannot browse the student, only find them by the whole number.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Other, $"/api/v1/students/{studentId}")).StatusCode);
        var name = await NameOfAsync(studentId);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Other, $"/api/v1/status-changes/lookup?number={idNumber[..10]}&name={Uri.EscapeDataString(name)}")).StatusCode);
        var found = await OkAsync<LookupDto>(await GetAsync(Other, $"/api/v1/status-changes/lookup?number={idNumber}&name={Uri.EscapeDataString(name)}"));
        Assert.Equal(StatusChangeApp.OwnSchool, found.School);
        Assert.DoesNotContain(idNumber, found.IdNumberMasked);
        var raw = await (await GetAsync(Other, $"/api/v1/status-changes/lookup?number={idNumber}&name={Uri.EscapeDataString(name)}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(studentId.ToString(), raw);

        var change = await RequestAsync(Other, new { kind = "TransferWithinCounty", studentNumber = idNumber, reason = "随父母迁居", toClassId = target.Id });
        Assert.Equal(StatusChangeKind.TransferWithinCounty, change.Change.Kind);
        Assert.Equal(ApprovalStage.SendingSchool, change.Change.AwaitingStage);
        Assert.Equal(true, change.Steps[0].Approved);
        Assert.Equal(Other, change.Steps[0].DecidedBy);
        var id = change.Change.Id;

        // Only the sending school's registrar decides the second step.
        await RefusedAsync(await DecideAsync(Other, id, true));
        await RefusedAsync(await DecideAsync(County, id, true));
        var second = await OkAsync<StatusChangeDetailDto>(await DecideAsync(Registrar, id, true, "同意转出"));
        Assert.Equal(ApprovalStage.SendingBureau, second.Change.AwaitingStage);
        await RefusedAsync(await DecideAsync(Registrar, id, true));
        await RefusedAsync(await DecideAsync(Other, id, true));
        Assert.Equal(StudentStatus.InSchool, (await app.StudentAsync(studentId)).Status);
        Assert.Equal(app.OwnSchoolId, (await app.StudentAsync(studentId)).SchoolId);

        var done = await OkAsync<StatusChangeDetailDto>(await DecideAsync(Bureau, id, true, "准予转学"));
        Assert.Equal(StatusChangeState.Approved, done.Change.State);
        Assert.Null(done.Change.AwaitingStage);
        Assert.Equal(["Other", Registrar, Bureau], done.Steps.Select(s => s.DecidedBy == Other ? "Other" : s.DecidedBy));

        var student = await app.StudentAsync(studentId);
        Assert.Equal(app.OtherSchoolId, student.SchoolId);
        Assert.Equal(target.Id, student.ClassId);
        Assert.Equal(target.Path, student.Path);
        Assert.Equal(StudentStatus.InSchool, student.Status);

        // The record now belongs to the receiving school; both sides still see the change.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Registrar, $"/api/v1/students/{studentId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Other, $"/api/v1/students/{studentId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Registrar, $"/api/v1/status-changes/{id}")).StatusCode);

        // Every decision is an approval row and an audit line.
        await using var db = app.Db();
        var approvals = (await db.StatusApprovals.Where(a => a.StatusChangeId == id).Select(a => a.Id).ToListAsync()).Select(a => a.ToString()).ToList();
        Assert.Equal(3, approvals.Count);
        var audited = await db.AuditEntries.Where(a => a.EntityType == nameof(StatusApproval) && a.Action == AuditAction.Create).Select(a => a.EntityId).ToListAsync();
        Assert.All(approvals, a => Assert.Contains(a, audited));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(Student) && a.EntityId == studentId.ToString() && a.Action == AuditAction.Update && a.UserName == Bureau));
    }

    [Fact]
    public async Task Another_school_neither_sees_nor_decides_a_school_change()
    {
        var (studentId, _) = await OwnStudentAsync();
        var change = await RequestAsync(Registrar, new { kind = "Suspension", studentId, reason = "病休", expectedReturnOn = "2027-03-01", evidence = "县医院诊断证明 2026-118" });
        Assert.Equal(ApprovalStage.Bureau, change.Change.AwaitingStage);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Other, $"/api/v1/status-changes/{change.Change.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DecideAsync(Other, change.Change.Id, true)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await DecideAsync("head.teacher", change.Change.Id, true)).StatusCode);
        // Another school cannot ask for a school change of a student it does not hold.
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(Other, "/api/v1/status-changes", new { kind = "Death", studentId, reason = "x" })).StatusCode);
        var listed = (await OkAsync<PagedResult<StatusChangeDto>>(await GetAsync(Other, "/api/v1/status-changes/?pageSize=200"))).Items;
        Assert.DoesNotContain(listed, c => c.Id == change.Change.Id);
        var awaiting = (await OkAsync<PagedResult<StatusChangeDto>>(await GetAsync(Bureau, "/api/v1/status-changes/?view=AwaitingMe&pageSize=200"))).Items;
        Assert.Contains(awaiting, c => c.Id == change.Change.Id && c.CanDecide);
    }

    [Fact]
    public async Task Suspension_then_resumption_changes_the_status_each_time()
    {
        var (studentId, _) = await OwnStudentAsync(4);
        var missing = await RefusedAsync(await PostAsync(Registrar, "/api/v1/status-changes", new { kind = "Suspension", studentId, reason = "病休" }));
        Assert.Contains("预计复学日期", missing);
        Assert.Contains("证明材料", missing);

        var suspension = await RequestAsync(Registrar, new { kind = "Suspension", studentId, reason = "病休", effectiveOn = "2026-10-08", expectedReturnOn = "2027-03-01", evidence = "诊断证明" });
        await OkAsync<StatusChangeDetailDto>(await DecideAsync(County, suspension.Change.Id, true));
        Assert.Equal(StudentStatus.Suspended, (await app.StudentAsync(studentId)).Status);

        var back = await app.ClassAsync(app.OwnSchoolId, 4);
        var resumption = await RequestAsync(Registrar, new { kind = "Resumption", studentId, reason = "病愈复学", toClassId = back.Id });
        var done = await OkAsync<StatusChangeDetailDto>(await DecideAsync(Bureau, resumption.Change.Id, true));
        Assert.Equal(StatusChangeState.Approved, done.Change.State);
        var student = await app.StudentAsync(studentId);
        Assert.Equal(StudentStatus.InSchool, student.Status);
        Assert.Equal(back.Id, student.ClassId);
    }

    [Fact]
    public async Task Reject_and_withdraw_end_a_request_and_only_one_may_be_pending()
    {
        var (studentId, _) = await OwnStudentAsync(5);
        var first = await RequestAsync(Registrar, new { kind = "Emigration", studentId, reason = "随父母出国" });
        var second = await RefusedAsync(await PostAsync(Registrar, "/api/v1/status-changes", new { kind = "Death", studentId, reason = "x" }));
        Assert.Contains("已有一项学籍异动正在审批中", second);

        // A rejection needs a reason, and ends it.
        await RefusedAsync(await DecideAsync(Bureau, first.Change.Id, false));
        var rejected = await OkAsync<StatusChangeDetailDto>(await DecideAsync(Bureau, first.Change.Id, false, "材料不全"));
        Assert.Equal(StatusChangeState.Rejected, rejected.Change.State);
        Assert.Equal(false, rejected.Steps[1].Approved);
        Assert.Equal(StudentStatus.InSchool, (await app.StudentAsync(studentId)).Status);
        await RefusedAsync(await DecideAsync(Bureau, first.Change.Id, true));

        // Withdrawn by the requester only.
        var again = await RequestAsync(Registrar, new { kind = "Emigration", studentId, reason = "随父母出国", evidence = "护照" });
        Assert.True(again.CanWithdraw);
        await RefusedAsync(await PostAsync(County, $"/api/v1/status-changes/{again.Change.Id}/withdraw", new { }));
        var withdrawn = await OkAsync<StatusChangeDetailDto>(await PostAsync(Registrar, $"/api/v1/status-changes/{again.Change.Id}/withdraw", new { }));
        Assert.Equal(StatusChangeState.Withdrawn, withdrawn.Change.State);
        await RefusedAsync(await DecideAsync(Bureau, again.Change.Id, true));
        Assert.Equal(StudentStatus.InSchool, (await app.StudentAsync(studentId)).Status);
    }

    [Fact]
    public async Task A_transfer_out_is_listed_as_unconfirmed_after_ten_working_days_until_the_confirmation_is_recorded()
    {
        var (studentId, _) = await OwnStudentAsync(6);
        await RefusedAsync(await PostAsync(Registrar, "/api/v1/status-changes", new { kind = "TransferOut", studentId, reason = "随父母务工转学" }));
        var change = await RequestAsync(Registrar, new { kind = "TransferOut", studentId, reason = "随父母务工转学", externalSchool = "厦门市湖里区第二实验小学" });
        var id = change.Change.Id;
        var left = await OkAsync<StatusChangeDetailDto>(await DecideAsync(Bureau, id, true));
        Assert.Equal(ApprovalStage.ReceivingSchool, left.Change.AwaitingStage);
        Assert.Equal(StatusChangeState.Pending, left.Change.State);
        var student = await app.StudentAsync(studentId);
        Assert.Equal(StudentStatus.TransferredOut, student.Status);
        Assert.Null(student.ClassId);
        Assert.False(left.CanWithdraw);

        async Task<bool> ListedFor(string user) =>
            (await OkAsync<PagedResult<UnconfirmedDto>>(await GetAsync(user, "/api/v1/status-changes/unconfirmed?pageSize=200"))).Items.Any(u => u.Change.Id == id);

        Assert.False(await ListedFor(County)); // asked today

        await using (var db = app.Db())
        {
            var stored = await db.StatusChanges.SingleAsync(c => c.Id == id);
            stored.RequestedAt = DateTime.UtcNow.AddDays(-8); // at most 6 working days
            await db.SaveChangesAsync();
        }
        Assert.False(await ListedFor(County));
        await using (var db = app.Db())
        {
            var stored = await db.StatusChanges.SingleAsync(c => c.Id == id);
            stored.RequestedAt = DateTime.UtcNow.AddDays(-15); // at least 10 working days
            await db.SaveChangesAsync();
        }
        Assert.True(await ListedFor(County));
        Assert.True(await ListedFor(Registrar));
        Assert.False(await ListedFor(Other));
        var item = (await OkAsync<PagedResult<UnconfirmedDto>>(await GetAsync(County, "/api/v1/status-changes/unconfirmed?pageSize=200"))).Items.Single(u => u.Change.Id == id);
        Assert.InRange(item.WorkingDaysWaiting, 10, 11);

        // The list downloads as it shows: Chinese headers, the masked ID, where the student went, how long it has waited.
        var sheet = await (await GetAsync(County, "/api/v1/status-changes/unconfirmed/export")).Content.ReadAsByteArrayAsync();
        using (var reader = Baoxue.Infrastructure.Spreadsheets.SpreadsheetReader.Open(new MemoryStream(sheet), "unconfirmed.xlsx"))
        {
            Assert.Equal("学生", reader.Headers[0]);
            Assert.Equal("已等待工作日", reader.Headers[^1]);
            var rows = new List<Baoxue.Infrastructure.Spreadsheets.SheetRow>();
            while (reader.TryReadRow(out var row))
            {
                rows.Add(row);
            }
            var exported = Assert.Single(rows, r => r[4].Text == "厦门市湖里区第二实验小学");
            Assert.Contains("********", exported[1].Text, StringComparison.Ordinal);
            Assert.Equal(item.WorkingDaysWaiting.ToString(System.Globalization.CultureInfo.InvariantCulture), exported[8].Text);
        }
        await using (var db = app.Db())
        {
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.Export && a.EntityType == nameof(StatusChange) && a.UserName == County));
        }

        // The bureau records the receiving school's confirmation, with its evidence; it cannot be "rejected".
        await RefusedAsync(await DecideAsync(Bureau, id, false, "未到校"));
        await RefusedAsync(await DecideAsync(Registrar, id, true, "回执"));
        await RefusedAsync(await DecideAsync(Bureau, id, true));
        var confirmed = await OkAsync<StatusChangeDetailDto>(await DecideAsync(Bureau, id, true, "湖里区二实小接收回执 2026-0917"));
        Assert.Equal(StatusChangeState.Approved, confirmed.Change.State);
        Assert.False(await ListedFor(County));
    }

    [Fact]
    public async Task Year_end_promotes_and_graduates_a_whole_school_once()
    {
        Guid schoolId;
        int currentYear;
        await using (var db = app.Db())
        {
            schoolId = await db.Schools.Where(s => s.Kind == SchoolKind.Primary && s.Id != app.OwnSchoolId && s.Id != app.OtherSchoolId
                && db.Classes.Count(c => c.SchoolId == s.Id && c.SchoolYear!.IsCurrent && (c.Grade == 2 || c.Grade == 6)) >= 2).Select(s => s.Id).FirstAsync();
            currentYear = await db.SchoolYears.Where(y => y.IsCurrent).Select(y => y.StartYear).SingleAsync();
        }
        var grade2 = await app.ClassAsync(schoolId, 2);
        var grade6 = await app.ClassAsync(schoolId, 6);
        var young = new[] { await app.EnrolAsync(County, grade2.Id, 2), await app.EnrolAsync(County, grade2.Id, 2) };
        var leaver = await app.EnrolAsync(County, grade6.Id, 6);

        var preview = await OkAsync<JsonElement>(await GetAsync(County, $"/api/v1/schools/{schoolId}/year-end"));
        Assert.False(preview.GetProperty("nextYearExists").GetBoolean());
        Assert.Equal(1, preview.GetProperty("graduate").GetInt32());
        Assert.Equal(2, preview.GetProperty("promote").EnumerateArray().Single(g => g.GetProperty("grade").GetInt32() == 2).GetProperty("students").GetInt32());
        Assert.Contains("学年", await RefusedAsync(await PostAsync(County, $"/api/v1/schools/{schoolId}/year-end", new { })));

        await OkAsync<JsonElement>(await PostAsync(County, "/api/v1/school-years", new { startYear = currentYear + 1 }));
        // Another school's registrar cannot run it.
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(Registrar, $"/api/v1/schools/{schoolId}/year-end", new { })).StatusCode);

        var result = await OkAsync<JsonElement>(await PostAsync(County, $"/api/v1/schools/{schoolId}/year-end", new { }));
        Assert.Equal(2, result.GetProperty("promoted").GetInt32());
        Assert.Equal(1, result.GetProperty("graduated").GetInt32());
        Assert.True(result.GetProperty("classesOpened").GetInt32() >= 1);

        await using (var db = app.Db())
        {
            foreach (var (id, _) in young)
            {
                var s = await db.Students.Include(x => x.Class!.SchoolYear).SingleAsync(x => x.Id == id);
                Assert.Equal(3, s.Grade);
                Assert.Equal(grade2.Number, s.Class!.Number);
                Assert.Equal(currentYear + 1, s.Class.SchoolYear!.StartYear);
                Assert.Equal(s.Class.Path, s.Path);
            }
            var graduated = await db.Students.SingleAsync(x => x.Id == leaver.Id);
            Assert.Equal(StudentStatus.Graduated, graduated.Status);
            Assert.Null(graduated.ClassId);
            // Each student's promotion or graduation is a status change of its own, approved, from the old class to the new.
            var changes = await db.StatusChanges.AsNoTracking().Where(c => c.StudentId == leaver.Id || young.Select(y => y.Id).Contains(c.StudentId)).ToListAsync();
            Assert.Equal(3, changes.Count);
            Assert.All(changes, c => Assert.Equal(StatusChangeState.Approved, c.State));
            var graduation = Assert.Single(changes, c => c.Kind == StatusChangeKind.Graduation);
            Assert.Equal((leaver.Id, grade6.Id, (Guid?)null), (graduation.StudentId, graduation.FromClassId!.Value, graduation.ToClassId));
            Assert.All(changes.Where(c => c.Kind == StatusChangeKind.Promotion), c => Assert.Equal(grade2.Id, c.FromClassId));
            Assert.Equal(2, changes.Count(c => c.Kind == StatusChangeKind.Promotion && c.ToClassId != null));
            Assert.Single(await db.AuditEntries.Where(a => a.EntityType == nameof(StatusChange) && a.EntityId == null && a.After!.Contains("year-end")).ToListAsync());
            // One audit line per entity type, not one per student.
            var batch = await db.AuditEntries.Where(a => a.EntityType == nameof(Student) && a.EntityId == null && a.After!.Contains("year-end")).ToListAsync();
            Assert.Single(batch);
            Assert.Contains("\"rows\":3", batch[0].After);
        }

        var twice = await OkAsync<JsonElement>(await PostAsync(County, $"/api/v1/schools/{schoolId}/year-end", new { }));
        Assert.Equal(0, twice.GetProperty("promoted").GetInt32());
        Assert.Equal(0, twice.GetProperty("graduated").GetInt32());
        Assert.Equal(0, twice.GetProperty("classesOpened").GetInt32());
    }
}

public sealed class StatusChangeTests_Sqlite(StatusChangeSqliteApp app) : StatusChangeTests<StatusChangeSqliteApp>(app), IClassFixture<StatusChangeSqliteApp>;

public sealed class StatusChangeTests_Postgres(StatusChangePostgresApp app) : StatusChangeTests<StatusChangePostgresApp>(app), IClassFixture<StatusChangePostgresApp>;

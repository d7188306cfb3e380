using System.Net;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Features.Registry.StatusChangeApi;

namespace Baoxue.Tests.Features.Registry.StatusChanges;

/// <summary>
/// Issue 6, items 3, 7 and 14: one decision per stage under real parallel requests, one pending change per student held
/// by the database, dates in range, and year-end recorded as status changes.
/// </summary>
public abstract partial class StatusChangeTests<TApp>
{
    private const int Rounds = 4;

    private async Task<Guid> PendingSuspensionAsync(int grade)
    {
        var (studentId, _) = await OwnStudentAsync(grade);
        var change = await RequestAsync(Registrar, new { kind = "Suspension", studentId, reason = "病休", expectedReturnOn = "2027-03-01", evidence = "诊断证明" });
        Assert.Equal(ApprovalStage.Bureau, change.Change.AwaitingStage);
        return change.Change.Id;
    }

    private async Task<(StatusChange Change, Student Student, List<StatusApproval> Approvals)> StoredAsync(Guid changeId)
    {
        await using var db = app.Db();
        var change = await db.StatusChanges.AsNoTracking().SingleAsync(c => c.Id == changeId);
        var student = await db.Students.AsNoTracking().SingleAsync(s => s.Id == change.StudentId);
        var approvals = await db.StatusApprovals.AsNoTracking().Where(a => a.StatusChangeId == changeId).ToListAsync();
        return (change, student, approvals);
    }

    /// <summary>Exactly one answer is 200; the others lost the race (409) or came after it (400: no longer pending).</summary>
    private static async Task<HttpResponseMessage> OneWinnerAsync(HttpResponseMessage[] responses)
    {
        foreach (var r in responses)
        {
            Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.BadRequest,
                $"{(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
        }
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Contains("已被他人处理", await r.Content.ReadAsStringAsync());
        }
        return responses.Single(r => r.StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task Approve_and_reject_sent_at_once_record_one_decision_and_a_consistent_student()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var id = await PendingSuspensionAsync(3 + round % 3);
            var responses = await Task.WhenAll(DecideAsync(Bureau, id, true, "同意"), DecideAsync(County, id, false, "材料不全"));
            var winner = await OneWinnerAsync(responses);

            var (change, student, approvals) = await StoredAsync(id);
            var bureauDecisions = approvals.Where(a => a.Stage == ApprovalStage.Bureau).ToList();
            Assert.Single(bureauDecisions);
            var approved = bureauDecisions[0].Approved;
            Assert.Equal(approved ? StatusChangeState.Approved : StatusChangeState.Rejected, change.State);
            Assert.Equal(approved ? StudentStatus.Suspended : StudentStatus.InSchool, student.Status);
            Assert.Equal(approved, winner == responses[0]);
        }
    }

    [Fact]
    public async Task Three_approvals_of_one_stage_at_once_are_recorded_once()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var id = await PendingSuspensionAsync(3 + round % 3);
            await OneWinnerAsync(await Task.WhenAll(DecideAsync(Bureau, id, true, "同意"), DecideAsync(County, id, true, "同意"), DecideAsync(Bureau, id, true, "同意")));

            var (change, student, approvals) = await StoredAsync(id);
            Assert.Single(approvals, a => a.Stage == ApprovalStage.Bureau);
            Assert.Equal(StatusChangeState.Approved, change.State);
            Assert.Equal(StudentStatus.Suspended, student.Status);
        }
    }

    [Fact]
    public async Task On_the_page_the_decision_that_lost_says_so_and_only_one_is_recorded()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var id = await PendingSuspensionAsync(3 + round % 3);
            using var bureau = await app.ClientAsync(Bureau);
            using var county = await app.ClientAsync(County);
            var url = $"/status-changes/{id}";
            // Both users have the page open (with its form) before either submits, as two people at two desks would.
            var forms = await Task.WhenAll(FormOf(bureau, url), FormOf(county, url));
            var responses = await Task.WhenAll(bureau.PostAsync(url, forms[0]), county.PostAsync(url, forms[1]));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
            var loser = responses.Single(r => r.StatusCode != HttpStatusCode.Redirect);
            var html = await loser.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, loser.StatusCode);
            Assert.True(html.Contains("已被他人处理，请刷新", StringComparison.Ordinal) || html.Contains("该异动已办结", StringComparison.Ordinal), html);
            var (_, _, approvals) = await StoredAsync(id);
            Assert.Single(approvals, a => a.Stage == ApprovalStage.Bureau);
        }
    }

    private static async Task<FormUrlEncodedContent> FormOf(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), "the decision form is not on the page");
        return new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Decision.Approve"] = "true", ["Decision.Comment"] = "同意", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["_handler"] = "decision",
        });
    }

    [Fact]
    public async Task Two_requests_for_one_student_at_once_leave_one_pending()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var (studentId, _) = await OwnStudentAsync(4);
            var responses = await Task.WhenAll(
                PostAsync(Registrar, "/api/v1/status-changes", new { kind = "Emigration", studentId, reason = "随父母出国" }),
                PostAsync(Registrar, "/api/v1/status-changes", new { kind = "Emigration", studentId, reason = "随父母出国定居" }));
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            var loser = responses.Single(r => r.StatusCode != HttpStatusCode.OK);
            var said = await loser.Content.ReadAsStringAsync();
            Assert.True(loser.StatusCode == HttpStatusCode.BadRequest && said.Contains("已有一项学籍异动正在审批中", StringComparison.Ordinal), $"{(int)loser.StatusCode}: {said}");
            await using var db = app.Db();
            Assert.Equal(1, await db.StatusChanges.CountAsync(c => c.StudentId == studentId && c.State == StatusChangeState.Pending));
        }
    }

    [Fact]
    public async Task The_database_itself_refuses_a_second_pending_change_for_a_student()
    {
        var (studentId, _) = await OwnStudentAsync(5);
        await RequestAsync(Registrar, new { kind = "Emigration", studentId, reason = "随父母出国" });
        await using var db = app.Db();
        var student = await db.Students.AsNoTracking().SingleAsync(s => s.Id == studentId);
        db.StatusChanges.Add(new StatusChange
        {
            StudentId = studentId, Kind = StatusChangeKind.Death, Reason = "x", RequestedBy = "test", FromSchoolId = student.SchoolId, Path = student.Path,
            EffectiveOn = new DateOnly(2026, 10, 1), AwaitingStage = ApprovalStage.School,
        });
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task An_effective_date_of_year_one_is_refused_naming_the_field()
    {
        var (studentId, _) = await OwnStudentAsync(5);
        var body = await RefusedAsync(await PostAsync(Registrar, "/api/v1/status-changes", new { kind = "Emigration", studentId, reason = "随父母出国", effectiveOn = "0001-01-01" }));
        Assert.Contains("EffectiveOn", body);
        Assert.Contains("0001-01-01", body);
        await using var db = app.Db();
        Assert.False(await db.StatusChanges.AnyAsync(c => c.StudentId == studentId));
    }
}

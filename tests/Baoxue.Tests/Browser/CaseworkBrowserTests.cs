using System.Text.RegularExpressions;
using Baoxue.Domain;
using Baoxue.Tests.Features.Casework;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>
/// Casework on a 390-px phone: the ledger's tip, verification, approval and two lines (the ledger's pages), then a
/// home visit recorded with a photo from the phone, a notice issued and printed; then the same never-enrolled child's
/// return, which enrols them in the registry, follow-up by the school, close-out with evidence and the county's approval.
/// </summary>
public sealed partial class BrowserTests
{
    private static readonly ViewportSize CaseworkPhone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task On_a_phone_a_tip_becomes_a_case_with_a_photographed_visit_a_notice_and_the_never_enrolled_child_is_returned_enrolled_followed_and_closed_out()
    {
        // 1. The ledger's pages: tip → verification → approval → both lines.
        const string child = "手机劝返童";
        var village = await app.NewPageAsync(CaseworkPhone, phone: true);
        await Flows.SignInAsync(village, "village.cadre");
        await village.GotoAsync("/ledger/new");
        await village.GetByLabel("姓名").FillAsync(child);
        await village.GetByLabel("出生日期").FillAsync("2018-05-06");
        await village.GetByLabel("性别").SelectOptionAsync(new SelectOptionValue { Label = "男" });
        var place = village.GetByLabel("户籍所在地");
        string? chosen = null;
        foreach (var option in await place.Locator("option", new() { HasText = "凤山镇 ·" }).AllAsync())
        {
            if (await option.TextContentAsync() is { } text && !text.Contains("社区", StringComparison.Ordinal))
            {
                chosen = await option.GetAttributeAsync("value");
                break;
            }
        }
        await place.SelectOptionAsync(chosen!);
        await village.GetByLabel("名单类别").SelectOptionAsync(new SelectOptionValue { Label = "适龄未入学" });
        await village.GetByLabel("情况说明").FillAsync("满 8 周岁，一直未入学。");
        await village.GetByRole(AriaRole.Button, new() { Name = "提交线索" }).ClickAsync();
        if (!Regex.IsMatch(village.Url, "/ledger/entries/"))
        {
            await village.Locator("#reported a").ClickAsync();
        }
        var entryUrl = village.Url;
        await village.GetByLabel("核查结论").SelectOptionAsync(new SelectOptionValue { Label = "确属辍学（失学）" });
        await village.GetByLabel("核查情况（见到谁、证明材料等）").FillAsync("家访见到父亲。");
        await village.GetByRole(AriaRole.Button, new() { Name = "提交核查结论" }).ClickAsync();
        await Expect(village.Locator("#state")).ToHaveTextAsync("待审核");

        var township = await app.NewPageAsync(CaseworkPhone, phone: true);
        await Flows.SignInAsync(township, "township.cadre");
        await township.GotoAsync(entryUrl);
        await township.GetByLabel("审核意见").FillAsync("同意，开展劝返。");
        await township.GetByRole(AriaRole.Button, new() { Name = "审核通过" }).ClickAsync();
        var education = township.Locator("#education");
        if (string.IsNullOrEmpty(await education.InputValueAsync()))
        {
            await education.SelectOptionAsync(new SelectOptionValue { Index = 1 });
        }
        await township.GetByRole(AriaRole.Button, new() { Name = "确定双线责任人" }).ClickAsync();
        await Expect(township.Locator("#case")).ToHaveAttributeAsync("data-case-state", "Assigned");
        Guid caseId;
        await using (var db = app.Db())
        {
            caseId = await db.LedgerCases.Where(c => c.Entry!.Name == child).Select(c => c.Id).SingleAsync();
        }

        // 2. From the ledger's entry to the case's work: a home visit recorded on the phone, with a photo from its camera.
        await village.GotoAsync(entryUrl);
        await village.Locator("#casework-link").ClickAsync();
        await Expect(village).ToHaveURLAsync(new Regex($"/casework/cases/{caseId}$"));
        await village.Locator("#new-attempt").ClickAsync();
        await village.GetByLabel("方式").SelectOptionAsync(new SelectOptionValue { Label = "家访" });
        await village.GetByLabel("参与人员（多人用、分隔）").FillAsync("村主任、班主任");
        await village.GetByLabel("见到的人").FillAsync("父亲");
        await village.GetByLabel("谈话内容").FillAsync("宣讲义务教育法，父亲同意考虑送孩子入学。");
        await village.GetByLabel("监护人态度").SelectOptionAsync(new SelectOptionValue { Label = "犹豫" });
        await village.GetByLabel("学生态度").SelectOptionAsync(new SelectOptionValue { Label = "支持" });
        await village.GetByLabel("结果", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "仍在考虑" });
        await Expect(village.Locator("#attempt-photos")).ToHaveAttributeAsync("capture", "environment");
        await village.Locator("#attempt-photos").SetInputFilesAsync(new FilePayload { Name = "IMG_0001.JPG", MimeType = "image/jpeg", Buffer = CaseworkApp.Jpeg() });
        await village.Locator("#save-attempt").ClickAsync();
        await Expect(village.Locator("#saved")).ToBeVisibleAsync();
        await Expect(village.Locator("#timeline")).ToContainTextAsync("家访");
        await Expect(village.Locator("#timeline img.img-thumbnail")).ToHaveCountAsync(1);
        await Expect(village.Locator("#case-state")).ToHaveTextAsync("劝返中");

        // 3. The township issues the written notice and prints it.
        await township.GotoAsync($"/casework/cases/{caseId}");
        await township.Locator("#notice-panel summary").ClickAsync();
        await township.GetByLabel("文书类型").SelectOptionAsync(new SelectOptionValue { Label = "书面告知书" });
        await township.GetByLabel("发文单位").SelectOptionAsync(new SelectOptionValue { Label = "乡镇人民政府" });
        await township.Locator("#issue-notice").ClickAsync();
        await Expect(township.Locator("#case-escalation")).ToHaveTextAsync("书面告知");
        await township.Locator("#notices a").First.ClickAsync();
        await Expect(township.Locator("#doc-number")).ToHaveTextAsync(new Regex(@"^凤山政〔\d{4}〕\d+号$"));
        await Expect(township.Locator("#notice")).ToContainTextAsync("第五十八条");
        await Expect(township.Locator("[data-print]")).ToBeVisibleAsync();
        Assert.True(await township.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));

        // 4. The tipped child was never enrolled: the bureau records the return on the phone, which enrols the child in the
        // chosen class through the registry; then the school follows up and asks for close-out.
        var bureau = await app.NewPageAsync(CaseworkPhone, phone: true);
        await Flows.SignInAsync(bureau, "bureau.staff");
        await bureau.GotoAsync($"/casework/cases/{caseId}");
        await bureau.Locator("#return-panel summary").ClickAsync();
        await Expect(bureau.Locator("#grade-rule")).ToBeVisibleAsync();
        await Expect(bureau.Locator("#enrol-note")).ToBeVisibleAsync();
        DateOnly today;
        string classId;
        await using (var db = app.Db())
        {
            today = db.County.Today;
            var schoolId = (await db.Users.SingleAsync(u => u.UserName == "school.admin")).PlaceId;
            classId = (await db.Classes.Where(c => c.SchoolId == schoolId && c.Grade == 3 && c.SchoolYear!.IsCurrent).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync()).ToString();
        }
        await bureau.GetByLabel("返校日期").FillAsync(today.AddDays(-40).ToString("yyyy-MM-dd"));
        await bureau.GetByLabel("安置方式").SelectOptionAsync(new SelectOptionValue { Label = "转入其他学校" });
        await bureau.GetByLabel("编入班级").SelectOptionAsync(classId);
        await bureau.Locator("#record-return").ClickAsync();
        // No ID number and no registry number: told so on the field, nothing recorded.
        await Expect(bureau.Locator(".alert-danger li[data-field='RegistryNumber']")).ToContainTextAsync("学籍号");
        await Expect(bureau.Locator("#case-state")).ToHaveTextAsync("劝返中");
        await bureau.Locator("#return-panel summary").ClickAsync();
        await bureau.GetByLabel("返校日期").FillAsync(today.AddDays(-40).ToString("yyyy-MM-dd"));
        await bureau.GetByLabel("安置方式").SelectOptionAsync(new SelectOptionValue { Label = "转入其他学校" });
        await bureau.GetByLabel("编入班级").SelectOptionAsync(classId);
        await bureau.GetByLabel("学籍号").FillAsync("J35012320180506001X");
        await bureau.GetByLabel("民族").SelectOptionAsync(new SelectOptionValue { Label = "汉族" });
        await bureau.Locator("#record-return").ClickAsync();
        await Expect(bureau.Locator("#case-state")).ToHaveTextAsync("已返校");
        await using (var db = app.Db())
        {
            var entry = await db.LedgerEntries.SingleAsync(e => e.Name == child);
            var student = await db.Students.SingleAsync(s => s.Name == child);
            Assert.Equal(student.Id, entry.StudentId);
            Assert.Equal("J35012320180506001X", student.RegistryNumber);
        }
        var school = await app.NewPageAsync(CaseworkPhone, phone: true);
        await Flows.SignInAsync(school, "school.admin");
        await school.GotoAsync($"/casework/cases/{caseId}");
        await school.GetByLabel("帮扶措施").FillAsync("班主任每周谈心，结对帮扶。");
        await school.GetByLabel("跟踪至").FillAsync(today.AddDays(-1).ToString("yyyy-MM-dd"));
        await school.Locator("#start-followup").ClickAsync();
        await Expect(school.Locator("#case-state")).ToHaveTextAsync("跟踪巩固");
        await school.Locator("#closeout-panel summary").ClickAsync();
        await school.GetByLabel("销号理由").FillAsync("复学后稳定就读。");
        await school.Locator("#closeout-evidence").SetInputFilesAsync(new FilePayload { Name = "在校照片.jpg", MimeType = "image/jpeg", Buffer = CaseworkApp.Jpeg(320, 240) });
        await school.Locator("#request-closeout").ClickAsync();
        await Expect(school.Locator("#case-state")).ToHaveTextAsync("申请销号");

        var county = await app.NewPageAsync(CaseworkPhone, phone: true);
        await Flows.SignInAsync(county, "county.admin");
        await county.GotoAsync("/casework?view=CloseOut");
        await county.Locator($"#casework-list a[href='/casework/cases/{caseId}']").ClickAsync();
        await Expect(county.Locator("#decision-panel img.img-thumbnail")).ToHaveCountAsync(1);
        await county.GetByLabel("审核意见").FillAsync("同意销号");
        await county.Locator("#approve-closeout").ClickAsync();
        await Expect(county.Locator("#case-state")).ToHaveTextAsync("已销号");
        await Expect(county.Locator("#closed-note")).ToBeVisibleAsync();
        await Expect(county.Locator("#timeline")).ToContainTextAsync("销号");
        foreach (var p in new[] { village, township, bureau, school, county })
        {
            await p.Context.CloseAsync();
        }
    }
}

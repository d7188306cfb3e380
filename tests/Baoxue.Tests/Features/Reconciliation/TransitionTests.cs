using System.Net;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Features.Ledger;
using Baoxue.Features.Reconciliation;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Security;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Baoxue.Tests.Features.Reconciliation;

/// <summary>
/// Issue 11's second half on a real database (decision 0031): 小升初 and 幼升小 checks with follow-up and the ledger
/// after the deadline, reruns adding nothing; entry notices issued, numbered, printed (page and Word) and returned;
/// the census recorded by a village cadre, merged and retried; the results by school with its spreadsheet.
/// </summary>
public abstract class TransitionTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private const string County = "county.admin";
    private const string Village = "village.cadre";
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Dictionary<string, World> Worlds = [];

    private sealed record World(DateOnly Today, string VillageCode, string VillagePath, Dictionary<string, Guid> Ids, Dictionary<string, string> IdNumbers);

    private async Task<World> WorldAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (Worlds.TryGetValue(app.ConnectionString, out var world))
            {
                return world;
            }
            var personal = app.Services.GetRequiredService<PersonalData>();
            var names = new ChineseNames(23);
            await using var db = app.Db();
            var today = db.County.Today;
            var (past, future) = (today.Year - 1, today.Year + 1);
            var villagePath = await db.Users.Where(u => u.UserName == Village).Select(u => u.Path).SingleAsync();
            var village = await db.Divisions.SingleAsync(d => d.Path == villagePath);
            var primary = await db.Schools.Where(s => s.Kind == SchoolKind.Primary && s.IsActive).OrderBy(s => s.Code).FirstAsync();
            var grade7 = await db.Classes.Where(c => c.SchoolYear!.IsCurrent && c.Grade == 7).OrderBy(c => c.Path).FirstAsync();
            var grade1 = await db.Classes.Where(c => c.SchoolYear!.IsCurrent && c.Grade == 1).OrderBy(c => c.Path).FirstAsync();
            var ids = new Dictionary<string, Guid>();
            var numbers = new Dictionary<string, string>();
            Student Make(string key, string name, Gender gender, DateOnly birth, StudentStatus status, int grade, SchoolClass? @class, bool withId = true)
            {
                var id = names.IdNumberFor("350123", birth, gender);
                numbers[key] = id;
                var s = new Student
                {
                    RegistryNumber = withId ? RegistryNumber.Stored(RegistryNumber.ForId(id), id) : "L" + birth.ToString("yyyyMMdd") + "000" + key.Length,
                    Name = name, Gender = gender, BirthDate = birth, Ethnicity = "01", SchoolId = @class?.SchoolId ?? primary.Id, ClassId = @class?.Id, Grade = grade,
                    Path = @class?.Path ?? primary.Path, Status = status,
                    IdNumberCipher = withId ? personal.Encrypt(id) : null, IdNumberHash = withId ? personal.Hash(id) : null, IdNumberMasked = withId ? IdNumber.Mask(id) : null,
                };
                db.Students.Add(s);
                ids[key] = s.Id;
                return s;
            }
            void Graduated(Student s) => db.StatusChanges.Add(new StatusChange
            {
                StudentId = s.Id, Kind = StatusChangeKind.Graduation, State = StatusChangeState.Approved, Reason = "小学毕业", EffectiveOn = new DateOnly(past, 7, 1),
                RequestedAt = DateTime.UtcNow, RequestedBy = "system", FromSchoolId = primary.Id, Path = primary.Path,
            });
            // 小升初: a leaver nowhere in grade 7, one whose own record moved on to grade 7, one found by name in another record.
            Graduated(Make("leaver", "郑文博", Gender.Male, new DateOnly(past - 12, 3, 4), StudentStatus.Graduated, 6, null));
            Graduated(Make("moved-on", "吴雨桐", Gender.Female, new DateOnly(past - 12, 5, 6), StudentStatus.InSchool, 7, grade7));
            Graduated(Make("no-id", "孙嘉怡", Gender.Female, new DateOnly(past - 12, 7, 8), StudentStatus.Graduated, 6, null, withId: false));
            Make("no-id-again", "孙嘉怡", Gender.Female, new DateOnly(past - 12, 7, 8), StudentStatus.InSchool, 7, grade7, withId: false);
            // 幼升小, last year's entry: one child in grade 1, one nowhere. Next year's: two children due a notice.
            HouseholdChild Child(string key, string name, Gender gender, DateOnly birth)
            {
                var id = names.IdNumberFor("350123", birth, gender);
                numbers[key] = id;
                var h = new HouseholdChild
                {
                    Name = name, Gender = gender, BirthDate = birth, DivisionCode = village.Code, HouseholdAddress = "5组" + key.Length + "号", GuardianName = name[..1] + "建国",
                    IdNumberCipher = personal.Encrypt(id), IdNumberHash = personal.Hash(id), IdNumberMasked = IdNumber.Mask(id), Path = village.Path, ImportedAt = DateTime.UtcNow,
                };
                db.HouseholdChildren.Add(h);
                ids[key] = h.Id;
                return h;
            }
            var entered = Child("entered", "钱思远", Gender.Male, new DateOnly(past - 6, 3, 1));
            var enteredStudent = Make("entered-student", "钱思远", Gender.Male, entered.BirthDate, StudentStatus.InSchool, 1, grade1, withId: false);
            enteredStudent.IdNumberHash = entered.IdNumberHash;
            Child("not-entered", "冯子墨", Gender.Male, new DateOnly(past - 6, 4, 2));
            Child("due-1", "蒋若曦", Gender.Female, new DateOnly(future - 6, 1, 10));
            Child("due-2", "韩一鸣", Gender.Male, new DateOnly(future - 6, 2, 2));
            await db.SaveChangesAsync();
            return Worlds[app.ConnectionString] = new World(today, village.Code, village.Path, ids, numbers);
        }
        finally
        {
            Once.Release();
        }
    }

    [Fact]
    public async Task Primary_to_junior_lists_the_leaver_found_nowhere_and_puts_them_on_the_ledger_once_after_the_deadline()
    {
        var w = await WorldAsync();
        using var client = await app.ClientAsync(County);
        var year = w.Today.Year - 1;
        var first = await (await client.PostJsonAsync("/api/v1/reconciliation/transitions/checks", new { kind = "PrimaryToJunior", year })).OkAsync<TransitionChecks.Result>();
        var again = await (await client.PostJsonAsync("/api/v1/reconciliation/transitions/checks", new { kind = "PrimaryToJunior", year })).OkAsync<TransitionChecks.Result>();

        Assert.Equal((3, 2, 1), (first.Checked, first.Found, first.Missing));
        Assert.Equal(1, first.Reported);
        Assert.Equal((3, 2, 1, 0), (again.Checked, again.Found, again.Missing, again.Reported));
        await using var db = app.Db();
        var missing = await db.TransitionCases.SingleAsync(c => c.Kind == TransitionKind.PrimaryToJunior && c.Year == year);
        Assert.Equal(w.Ids["leaver"], missing.SubjectId);
        Assert.Equal(TransitionState.Reported, missing.State);
        var entry = await db.LedgerEntries.IgnoreQueryFilters().SingleAsync(e => e.Id == missing.LedgerEntryId);
        Assert.Equal(LedgerList.SuspectedDropout, entry.List);
        Assert.Equal(LedgerSource.Reconciliation, entry.Source);
        Assert.Equal(w.Ids["leaver"], entry.StudentId);
        Assert.Equal(1, await db.LedgerEntries.IgnoreQueryFilters().CountAsync(e => e.StudentId == w.Ids["leaver"]));

        var list = await client.GetOkAsync<PagedResult<TransitionsApi.CaseDto>>($"/api/v1/reconciliation/transitions?kind=PrimaryToJunior&year={year}");
        Assert.Equal("郑文博", Assert.Single(list.Items).Name);
        Assert.True(list.Items[0].OnLedger);
        var html = await client.GetStringAsync($"/reconciliation/transitions?kind=PrimaryToJunior&year={year}");
        Assert.Contains("郑文博", html);
        Assert.Contains("已列入台账", html);
        // A case on the ledger is followed up there, not here.
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostJsonAsync($"/api/v1/reconciliation/transitions/{missing.Id}/follow-up", new { note = "已去外省" })).StatusCode);
    }

    [Fact]
    public async Task School_entry_finds_the_grade_one_entrant_and_before_the_deadline_keeps_the_missing_for_follow_up()
    {
        var w = await WorldAsync();
        using var county = await app.ClientAsync(County);
        var past = w.Today.Year - 1;
        var late = await (await county.PostJsonAsync("/api/v1/reconciliation/transitions/checks", new { kind = "EntryToPrimary", year = past })).OkAsync<TransitionChecks.Result>();
        Assert.Equal((2, 1, 1, 1), (late.Checked, late.Found, late.Missing, late.Reported));
        await using (var db = app.Db())
        {
            var reported = await db.TransitionCases.SingleAsync(c => c.Kind == TransitionKind.EntryToPrimary && c.Year == past);
            Assert.Equal(w.Ids["not-entered"], reported.SubjectId);
            var entry = await db.LedgerEntries.IgnoreQueryFilters().SingleAsync(e => e.Id == reported.LedgerEntryId);
            Assert.Equal(LedgerList.NotEnrolled, entry.List);
            Assert.Equal("冯子墨", entry.Name);
        }

        var future = w.Today.Year + 1;
        var early = await (await county.PostJsonAsync("/api/v1/reconciliation/transitions/checks", new { kind = "EntryToPrimary", year = future })).OkAsync<TransitionChecks.Result>();
        // Before the deadline nobody goes to the ledger. (韩一鸣 may have been enrolled by the notices test: found.)
        Assert.Equal((2, 0), (early.Checked, early.Reported));
        Assert.Equal(2, early.Found + early.Missing);
        using var village = await app.ClientAsync(Village);
        var list = await village.GetOkAsync<PagedResult<TransitionsApi.CaseDto>>($"/api/v1/reconciliation/transitions?kind=EntryToPrimary&year={future}&state=Missing");
        Assert.Equal(early.Missing, list.Total);
        var han = list.Items.Single(c => c.Name == "蒋若曦");
        int cases;
        await using (var db = app.Db())
        {
            cases = await db.TransitionCases.CountAsync(c => c.Kind == TransitionKind.EntryToPrimary && c.Year == future);
        }

        var refused = await (await village.PostJsonAsync($"/api/v1/reconciliation/transitions/{han.Id}/follow-up", new { note = " ", version = han.Version })).RefusedAsync();
        Assert.Equal("请填写跟进情况。", Assert.Single(refused["Note"]));
        var followed = await (await village.PostJsonAsync($"/api/v1/reconciliation/transitions/{han.Id}/follow-up", new { note = "随父母在厦门市思明区就读", version = han.Version })).OkAsync<TransitionsApi.CaseDto>();
        Assert.Equal(TransitionState.FollowedUp, followed.State);
        Assert.Equal(Village, followed.FollowUpBy);
        var rerun = await (await county.PostJsonAsync("/api/v1/reconciliation/transitions/checks", new { kind = "EntryToPrimary", year = future })).OkAsync<TransitionChecks.Result>();
        Assert.Equal(early.Missing, rerun.Missing);
        await using var after = app.Db();
        Assert.Equal(TransitionState.FollowedUp, (await after.TransitionCases.SingleAsync(c => c.Id == han.Id)).State);
        Assert.Equal(cases, await after.TransitionCases.CountAsync(c => c.Kind == TransitionKind.EntryToPrimary && c.Year == future));

        // Bad input changes nothing; a village cadre cannot run a check.
        var bad = await (await county.PostJsonAsync("/api/v1/reconciliation/transitions/checks", new { year = future })).RefusedAsync();
        Assert.Contains("Kind", bad.Keys);
        Assert.Equal(HttpStatusCode.Forbidden, (await village.PostJsonAsync("/api/v1/reconciliation/transitions/checks", new { kind = "EntryToPrimary" })).StatusCode);
    }

    [Fact]
    public async Task Entry_notices_are_issued_numbered_without_gaps_printed_and_their_receipts_recorded()
    {
        var w = await WorldAsync();
        using var county = await app.ClientAsync(County);
        var year = w.Today.Year + 1;
        var due = await county.GetOkAsync<PagedResult<EntryNotices.DueChild>>($"/api/v1/reconciliation/notices?year={year}&pageSize=200");
        var ours = due.Items.Where(d => d.ChildId == w.Ids["due-1"] || d.ChildId == w.Ids["due-2"]).ToList();
        Assert.Equal(2, ours.Count);
        var school = Assert.Single(ours.Select(d => d.SchoolId).Distinct());
        Assert.NotNull(school);

        var issued = await (await county.PostJsonAsync("/api/v1/reconciliation/notices", new { schoolId = school, year })).OkAsync<TransitionsApi.IssuedDto>();
        Assert.Equal(2, issued.Issued);
        var again = await (await county.PostJsonAsync("/api/v1/reconciliation/notices", new { schoolId = school, year })).RefusedAsync();
        Assert.Contains("SchoolId", again.Keys);
        await using (var db = app.Db())
        {
            var notices = await db.EntryNotices.Where(n => n.SchoolId == school && n.Year == year).OrderBy(n => n.Sequence).ToListAsync();
            Assert.Equal([$"〔{year}〕1号", $"〔{year}〕2号"], notices.Select(n => n.Number).ToArray());
            // Pinyin order: 韩 (han) before 蒋 (jiang).
            Assert.Equal(w.Ids["due-2"], notices[0].HouseholdChildId);
        }

        var page = await county.GetStringAsync($"/reconciliation/notices/print?school={school}&year={year}");
        Assert.Contains($"〔{year}〕1号", page);
        Assert.Contains("韩一鸣", page);
        Assert.Contains("回执", page);
        using var docx = await county.GetAsync($"/api/v1/reconciliation/notices.docx?school={school}&year={year}");
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        using (var word = WordprocessingDocument.Open(new MemoryStream(await docx.Content.ReadAsByteArrayAsync()), false))
        {
            var text = word.MainDocumentPart!.Document!.Body!.InnerText;
            Assert.Contains($"〔{year}〕2号", text);
            Assert.Contains("蒋若曦", text);
            Assert.Contains("义务教育法", text);
        }

        using var village = await app.ClientAsync(Village);
        var mine = await village.GetOkAsync<PagedResult<EntryNotices.DueChild>>($"/api/v1/reconciliation/notices?year={year}&pageSize=200");
        var han = mine.Items.Single(d => d.ChildId == w.Ids["due-2"]);
        using var returned = await village.PostJsonAsync($"/api/v1/reconciliation/notices/{han.NoticeId}/returned", new { version = han.NoticeVersion });
        Assert.Equal(HttpStatusCode.OK, returned.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await village.PostJsonAsync($"/api/v1/reconciliation/notices/{han.NoticeId}/returned", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await village.PostJsonAsync("/api/v1/reconciliation/notices", new { schoolId = school, year })).StatusCode);

        // Enrolment is read from the registry: a grade-1 student with the child's ID.
        await using (var db = app.Db())
        {
            var personal = app.Services.GetRequiredService<PersonalData>();
            var grade1 = await db.Classes.Where(c => c.SchoolYear!.IsCurrent && c.Grade == 1).OrderBy(c => c.Path).FirstAsync();
            db.Students.Add(new Student
            {
                RegistryNumber = RegistryNumber.Stored(RegistryNumber.ForId(w.IdNumbers["due-2"]), w.IdNumbers["due-2"]), Name = "韩一鸣", Gender = Gender.Male,
                BirthDate = new DateOnly(year - 6, 2, 2), Ethnicity = "01", SchoolId = grade1.SchoolId, ClassId = grade1.Id, Grade = 1, Path = grade1.Path,
                IdNumberHash = personal.Hash(w.IdNumbers["due-2"]), IdNumberMasked = IdNumber.Mask(w.IdNumbers["due-2"]),
            });
            await db.SaveChangesAsync();
        }
        // By village: the children registered there only, whichever school; printed and downloaded for the village.
        var inVillage = await county.GetOkAsync<PagedResult<EntryNotices.DueChild>>($"/api/v1/reconciliation/notices?year={year}&village={w.VillageCode}&pageSize=200");
        Assert.All(inVillage.Items, d => Assert.Equal(w.VillageCode, d.DivisionCode));
        Assert.Contains(inVillage.Items, d => d.ChildId == w.Ids["due-1"]);
        Assert.Contains(inVillage.Items, d => d.ChildId == w.Ids["due-2"]);
        var elsewhere = await county.GetOkAsync<PagedResult<EntryNotices.DueChild>>($"/api/v1/reconciliation/notices?year={year}&village=350123999999&pageSize=200");
        Assert.Empty(elsewhere.Items);
        using (var villageDocx = await county.GetAsync($"/api/v1/reconciliation/notices.docx?village={w.VillageCode}&year={year}"))
        {
            Assert.Equal(HttpStatusCode.OK, villageDocx.StatusCode);
            using var word = WordprocessingDocument.Open(new MemoryStream(await villageDocx.Content.ReadAsByteArrayAsync()), false);
            var text = word.MainDocumentPart!.Document!.Body!.InnerText;
            Assert.Contains("韩一鸣", text);
            Assert.Contains("蒋若曦", text);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await county.GetAsync($"/api/v1/reconciliation/notices.docx?village=350123999999&year={year}")).StatusCode);
        var villagePrint = await county.GetStringAsync($"/reconciliation/notices/print?village={w.VillageCode}&year={year}");
        Assert.Contains("韩一鸣", villagePrint);
        var unknown = await (await county.PostJsonAsync("/api/v1/reconciliation/notices", new { village = "350123999999", year })).RefusedAsync();
        Assert.Contains("Village", unknown.Keys);
        var none = await (await county.PostJsonAsync("/api/v1/reconciliation/notices", new { village = w.VillageCode, year })).RefusedAsync();
        Assert.Contains("Village", none.Keys);
        var villagePage = await county.GetStringAsync($"/reconciliation/notices?village={w.VillageCode}&year={year}");
        Assert.Contains("蒋若曦", villagePage);

        var after = await county.GetOkAsync<PagedResult<EntryNotices.DueChild>>($"/api/v1/reconciliation/notices?year={year}&school={school}&pageSize=200");
        var row = after.Items.Single(d => d.ChildId == w.Ids["due-2"]);
        Assert.Equal(EntryNoticeState.Returned, row.State);
        Assert.True(row.Enrolled);
        Assert.False(after.Items.Single(d => d.ChildId == w.Ids["due-1"]).Enrolled);
    }

    [Fact]
    public async Task A_village_cadre_records_a_census_visit_that_is_merged_retried_once_and_refused_whole_when_wrong()
    {
        var w = await WorldAsync();
        using var village = await app.ClientAsync(Village);
        await using (var db = app.Db())
        {
            Assert.Equal(0, await db.CensusVisits.CountAsync());
        }
        var bad = await (await village.PostJsonAsync("/api/v1/reconciliation/census/visits", new
        {
            divisionCode = w.VillageCode, headName = "周大年", address = "7组1号", visitedOn = w.Today,
            children = new object[] { new { name = "周小花", idNumber = "350123201703031234", gender = "Female", birthDate = "2017-03-03" } },
        })).RefusedAsync();
        Assert.Equal("儿童 1 的身份证号无效。", Assert.Single(bad["Children[0].IdNumber"]));
        await using (var db = app.Db())
        {
            Assert.Equal(0, await db.CensusVisits.CountAsync());
        }

        var key = Guid.NewGuid().ToString("N");
        var body = new
        {
            divisionCode = w.VillageCode, headName = "周大年", address = "7组1号", visitedOn = w.Today, clientKey = key,
            children = new object[]
            {
                new { name = "周小花", gender = "Female", birthDate = "2017-03-03", noRegistration = true },
                new { name = "吴雨桐", idNumber = w.IdNumbers["moved-on"] },
                new { name = "冯子墨", gender = "Male", birthDate = new DateOnly(w.Today.Year - 7, 4, 2).ToString("yyyy-MM-dd"), floating = true },
            },
        };
        var visit = await (await village.PostJsonAsync("/api/v1/reconciliation/census/visits", body)).OkAsync<TransitionsApi.VisitDto>();
        var retried = await (await village.PostJsonAsync("/api/v1/reconciliation/census/visits", body)).OkAsync<TransitionsApi.VisitDto>();
        Assert.Equal(visit.Id, retried.Id);
        var byName = visit.Children.ToDictionary(c => c.Name);
        Assert.Equal(CensusMatch.Unknown, byName["周小花"].Match);
        Assert.True(byName["周小花"].OnLedger);
        Assert.Equal(CensusMatch.InSchool, byName["吴雨桐"].Match);
        Assert.False(byName["吴雨桐"].OnLedger);
        Assert.Equal(CensusMatch.HouseholdOnly, byName["冯子墨"].Match);
        await using (var db = app.Db())
        {
            Assert.Equal(1, await db.CensusVisits.CountAsync());
            Assert.Equal(3, await db.CensusChildren.CountAsync());
            Assert.Equal(w.Ids["not-entered"], (await db.CensusChildren.SingleAsync(c => c.Name == "冯子墨")).HouseholdChildId);
            var entry = await db.LedgerEntries.IgnoreQueryFilters().SingleAsync(e => e.Id == db.CensusChildren.Single(c => c.Name == "周小花").LedgerEntryId);
            Assert.Equal(LedgerList.NotEnrolled, entry.List);
        }

        var progress = await village.GetOkAsync<PagedResult<Census.ProgressRow>>("/api/v1/reconciliation/census/progress");
        var row = Assert.Single(progress.Items, r => r.Path == w.VillagePath && r.Level == Census.CensusLevel.Village);
        Assert.Equal((1, 3, 1, 2, 1, 1), (row.Visits, row.Children, row.InSchool, row.NotInSchool, row.NoRegistration, row.Floating));
        Assert.Equal(1, row.HouseholdSeen);
        // The county sees each township's total after its villages, and its own total last.
        using (var county = await app.ClientAsync(County))
        {
            var all = new List<Census.ProgressRow>();
            for (var n = 1; ; n++)
            {
                var items = (await county.GetOkAsync<PagedResult<Census.ProgressRow>>($"/api/v1/reconciliation/census/progress?pageSize=200&page={n}")).Items;
                all.AddRange(items);
                if (items.Count < 200)
                {
                    break;
                }
            }
            var township = w.VillagePath[..(w.VillagePath.TrimEnd('/').LastIndexOf('/') + 1)];
            var villages = all.Where(r => r.Level == Census.CensusLevel.Village).ToList();
            var townshipRow = Assert.Single(all, r => r.Level == Census.CensusLevel.Township && r.Path == township);
            Assert.True(all.ToList().IndexOf(townshipRow) > all.ToList().FindLastIndex(r => r.Level == Census.CensusLevel.Village && r.Path.StartsWith(township)));
            Assert.Equal((1, 3, 1, 2), (townshipRow.Visits, townshipRow.Children, townshipRow.InSchool, townshipRow.NotInSchool));
            Assert.Equal(villages.Where(r => r.Path.StartsWith(township)).Sum(r => r.HouseholdChildren), townshipRow.HouseholdChildren);
            var total = all[^1];
            Assert.Equal(Census.CensusLevel.Total, total.Level);
            Assert.Equal((1, 3, villages.Sum(r => r.HouseholdChildren)), (total.Visits, total.Children, total.HouseholdChildren));
            var html = await county.GetStringAsync("/reconciliation/census");
            Assert.Contains("小计", html);
            Assert.Contains("data-level=\"Total\"", html);
        }
        var page = await village.GetStringAsync("/reconciliation/census");
        Assert.Contains("周小花", page);
        Assert.Contains("户籍和学籍均无", page);

        // Another village's code is out of reach.
        await using (var db = app.Db())
        {
            var other = await db.Divisions.Where(d => d.Level == DivisionLevel.Village && d.Code != w.VillageCode).OrderBy(d => d.Code).Select(d => d.Code).FirstAsync();
            var outside = await (await village.PostJsonAsync("/api/v1/reconciliation/census/visits", new { divisionCode = other, headName = "甲", address = "乙", visitedOn = w.Today })).RefusedAsync();
            Assert.Contains("DivisionCode", outside.Keys);
        }
    }

    [Fact]
    public async Task The_results_by_school_count_each_schools_matches_and_discrepancies_and_export_a_titled_sheet()
    {
        var w = await WorldAsync();
        using var county = await app.ClientAsync(County);
        await (await county.PostJsonAsync("/api/v1/reconciliation/runs", new { })).OkAsync<ReconciliationApi.RunDto>();
        var rows = await county.GetOkAsync<PagedResult<ReconciliationQueries.SchoolRow>>("/api/v1/reconciliation/schools?pageSize=200");
        await using var db = app.Db();
        var expectedNotFound = await db.ReconciliationResults.CountAsync(r => r.Outcome == ReconciliationOutcome.NotFound && (r.AgeBand == AgeBand.Primary || r.AgeBand == AgeBand.JuniorSecondary) && r.NearestSchoolId != null);
        var expectedMatched = await db.ReconciliationResults.CountAsync(r => r.SchoolId != null && (r.Outcome == ReconciliationOutcome.InSchoolHere || r.Outcome == ReconciliationOutcome.InSchoolElsewhere || r.Outcome == ReconciliationOutcome.SpecialEducation));
        Assert.Equal(expectedNotFound, rows.Items.Sum(r => r.NotFound));
        Assert.Equal(expectedMatched, rows.Items.Sum(r => r.Matched));
        Assert.True(rows.Items.Sum(r => r.NoHousehold) > 0);

        using var xlsx = await county.GetAsync("/api/v1/reconciliation/schools.xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using var document = SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), false);
        var part = (WorksheetPart)document.WorkbookPart!.GetPartById(document.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single().Id!);
        var sheet = part.Worksheet;
        var cells = sheet.Descendants<Row>().ToList();
        string Text(Cell c) => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "";
        var title = Text(cells[0].Elements<Cell>().Single());
        Assert.Contains("人籍比对结果（按学校）", title);
        Assert.Contains($"{w.Today.Year}年{w.Today.Month}月{w.Today.Day}日", title);
        Assert.Equal("就读学校", Text(cells[1].Elements<Cell>().First()));
        Assert.Equal("A3", sheet.Descendants<Pane>().Single().TopLeftCell!.Value);
        Assert.StartsWith("A2:F", sheet.Descendants<AutoFilter>().Single().Reference!.Value);
        Assert.Equal(28, sheet.Descendants<Column>().First().Width!.Value);
        Assert.Equal(rows.Total + 1, cells.Count - 2);

        // Each count drills down to the children behind it (one query for page, API and sheet), the students without a
        // household record to the reverse check of that school.
        foreach (var r in rows.Items.Where(r => r.Matched + r.Awaiting + r.NotFound > 0).Take(3))
        {
            foreach (var (count, expected) in new[] { ("Matched", r.Matched), ("Awaiting", r.Awaiting), ("NotFound", r.NotFound) })
            {
                var list = await county.GetOkAsync<PagedResult<ReconciliationQueries.ChildRow>>($"/api/v1/reconciliation/children?school={r.SchoolId}&count={count}&pageSize=1");
                Assert.Equal(expected, list.Total);
            }
            var reverse = await county.GetOkAsync<PagedResult<ReconciliationQueries.ReverseRow>>($"/api/v1/reconciliation/reverse?kind=NoHousehold&school={r.SchoolId}&pageSize=1");
            Assert.Equal(r.NoHousehold, reverse.Total);
        }
        var notFoundSchool = rows.Items.First(r => r.NotFound > 0);
        using (var sheetResponse = await county.GetAsync($"/api/v1/reconciliation/children.xlsx?school={notFoundSchool.SchoolId}&count=NotFound"))
        {
            Assert.Equal(HttpStatusCode.OK, sheetResponse.StatusCode);
            var (sheetTitle, _, sheetRows) = OrganisationKit.Workbook(await sheetResponse.Content.ReadAsByteArrayAsync());
            Assert.Contains(notFoundSchool.Name, sheetTitle);
            Assert.Equal(notFoundSchool.NotFound, sheetRows.Count);
            Assert.All(sheetRows, x => Assert.Contains("未找到", x));
        }
        var drill = await county.GetStringAsync($"/reconciliation/children?school={notFoundSchool.SchoolId}&count=NotFound");
        Assert.Contains(notFoundSchool.Name, drill);
        Assert.Contains($"count=NotFound", await county.GetStringAsync("/reconciliation/schools"));
        // A school out of the user's reach has no children behind it.
        await using (var asVillage = await app.DbAs(Village))
        {
            var reachable = await asVillage.Schools.Select(x => x.Id).ToListAsync();
            var far = rows.Items.First(r => r.Matched > 0 && !reachable.Contains(r.SchoolId));
            using var village = await app.ClientAsync(Village);
            Assert.Equal(0, (await village.GetOkAsync<PagedResult<ReconciliationQueries.ChildRow>>($"/api/v1/reconciliation/children?school={far.SchoolId}&count=Matched")).Total);
        }

        var html = await county.GetStringAsync("/reconciliation/schools");
        Assert.Contains("差异合计", html);
        Assert.Contains("data-print", html);
    }
}

public sealed class TransitionTests_Sqlite(SqliteApp app) : TransitionTests<SqliteApp>(app);

public sealed class TransitionTests_Postgres(PostgresApp app) : TransitionTests<PostgresApp>(app);

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Baoxue.Features.Rates;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Features.Rates;

/// <summary>
/// The prepared figures against the lists they drill down to, snapshots that stay frozen, and targets, through the real
/// app on SQLite and PostgreSQL.
/// </summary>
public abstract class RatesTests<TApp>(TApp app) where TApp : BaoxueApp
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private async Task ArrangeAsync()
    {
        await using var db = app.Db();
        if (await db.Students.AnyAsync(s => s.Name == "测试甲"))
        {
            return;
        }
        var classes = await db.Classes.Where(c => c.SchoolYear!.IsCurrent && (c.Grade == 3 || c.Grade == 8)).OrderBy(c => c.Path).ToListAsync();
        var g3 = classes.First(c => c.Grade == 3);
        var g8 = classes.First(c => c.Grade == 8 && PlacePath.County(c.Path) == PlacePath.County(g3.Path) && c.SchoolId != g3.SchoolId);
        var village = await db.Divisions.Where(d => d.Level == DivisionLevel.Village).OrderBy(d => d.Code).FirstAsync();
        var n = 0;
        Student Add(SchoolClass c, StudentStatus status, params GroupTag[] tags)
        {
            n++;
            var s = new Student
            {
                RegistryNumber = $"L2015010100{n:00}", Name = n == 1 ? "测试甲" : "测试" + n, Gender = Gender.Male, BirthDate = new DateOnly(2015, 1, 1), Ethnicity = "01",
                SchoolId = c.SchoolId, ClassId = status == StudentStatus.InSchool ? c.Id : null, Grade = c.Grade, Status = status,
                Path = status == StudentStatus.InSchool ? c.Path : c.Path[..(c.Path.TrimEnd('/').LastIndexOf('/') + 1)],
            };
            foreach (var t in tags)
            {
                t.StudentId = s.Id;
                s.Tags.Add(t);
            }
            db.Students.Add(s);
            return s;
        }
        var today = db.County.Today;
        for (var i = 0; i < 5; i++)
        {
            Add(g3, StudentStatus.InSchool, i < 2 ? [new GroupTag { Kind = GroupKind.Disabled, DisabilityType = "Visual", DisabilityGrade = 2, StartedOn = today }] : i == 2 ? [new GroupTag { Kind = GroupKind.LeftBehind, StartedOn = today }] : []);
        }
        Add(g3, StudentStatus.Suspended);
        var suspected = Add(g3, StudentStatus.InSchool, new GroupTag { Kind = GroupKind.LeftBehind, StartedOn = today });
        for (var i = 0; i < 3; i++)
        {
            Add(g8, StudentStatus.InSchool);
        }
        var dropout = Add(g8, StudentStatus.DroppedOut, new GroupTag { Kind = GroupKind.Disabled, DisabilityType = "Hearing", DisabilityGrade = 3, StartedOn = today });
        var back = Add(g8, StudentStatus.InSchool);
        await db.SaveChangesAsync();

        LedgerEntry Entry(Student? s, LedgerList list, LedgerEntryState state, string reason) => new()
        {
            ChildKey = s is null ? LedgerEntry.KeyOfPerson("测试未入学", new DateOnly(2018, 3, 3), village.Code) : LedgerEntry.KeyOfStudent(s.Id),
            StudentId = s?.Id, Name = s?.Name ?? "测试未入学", Gender = s?.Gender ?? Gender.Female, BirthDate = s?.BirthDate ?? new DateOnly(2018, 3, 3), SchoolId = s?.SchoolId, Grade = s?.Grade,
            List = list, State = state, Source = LedgerSource.Tip, SourceKey = Guid.NewGuid().ToString("N"), Reason = reason, ReportedOn = today.AddDays(-30),
            ReportedAt = db.County.UtcNow, ReportedBy = "test", Path = s?.Path ?? village.Path, ResidencePath = village.Path, HouseholdDivisionCode = village.Code,
        };
        var e1 = Entry(dropout, LedgerList.Dropout, LedgerEntryState.Confirmed, "外出务工");
        db.LedgerEntries.AddRange(e1, Entry(suspected, LedgerList.SuspectedDropout, LedgerEntryState.Reported, "厌学"), Entry(null, LedgerList.NotEnrolled, LedgerEntryState.Confirmed, "随父母外出"));
        db.LedgerCases.Add(new LedgerCase { EntryId = e1.Id, OpenedAt = db.County.UtcNow, Path = e1.Path, ResidencePath = e1.ResidencePath });
        // A child who came back and whose case is closed: the funnel's last two stages.
        var e2 = Entry(back, LedgerList.Dropout, LedgerEntryState.Closed, "厌学");
        e2.Closure = LedgerClosure.CaseClosed;
        e2.ClosedOn = today.AddDays(-2);
        db.LedgerEntries.Add(e2);
        db.LedgerCases.Add(new LedgerCase
        {
            EntryId = e2.Id, OpenedAt = db.County.UtcNow.AddDays(-25), Path = e2.Path, ResidencePath = e2.ResidencePath, State = LedgerCaseState.Closed, ReturnedOn = today.AddDays(-10),
        });
        await db.SaveChangesAsync();
    }

    private async Task<JsonElement> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, url + " → " + (int)response.StatusCode + " " + body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<Guid> RecomputeAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/api/v1/rates/recompute", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Every_figure_equals_the_count_of_its_drill_down_list_at_the_county_its_townships_and_schools()
    {
        await ArrangeAsync();
        using var admin = await app.ClientAsync("county.admin");
        var set = await RecomputeAsync(admin);
        var county = await GetAsync(admin, $"/api/v1/rates?set={set}");
        var enrolment = county.GetProperty("rates").EnumerateArray().Single(r => r.GetProperty("rate").GetString() == RateRules.Enrolment);
        Assert.True(enrolment.GetProperty("numerator").GetInt64() >= 9);
        // The arranged child never enrolled, and the demo's own confirmed ones, are in the denominator only.
        Assert.True(enrolment.GetProperty("denominator").GetInt64() > enrolment.GetProperty("numerator").GetInt64());
        Assert.True(enrolment.GetProperty("isShort").GetBoolean());

        var compared = 0;
        var measures = new HashSet<string>();
        async Task CheckAsync(JsonElement board)
        {
            foreach (var c in board.GetProperty("counts").EnumerateArray())
            {
                // Every count of children has its list; only the rows of a village (a residence, no list of its own) have none.
                Assert.False(c.GetProperty("list").GetString() is null, $"{board.GetProperty("place").GetProperty("name")} {c.GetProperty("measure")} {c.GetProperty("dimension")} has no list");
                var list = c.GetProperty("list").GetString()!;
                var found = await GetAsync(admin, list + "&pageSize=1");
                Assert.True(c.GetProperty("value").GetInt64() == found.GetProperty("total").GetInt64(),
                    $"{board.GetProperty("place").GetProperty("name")} {c.GetProperty("measure")} {c.GetProperty("dimension")}: figure {c.GetProperty("value")}, list {found.GetProperty("total")} ({list})");
                measures.Add(c.GetProperty("measure").GetString() + " " + c.GetProperty("dimension").GetString());
                compared++;
            }
            // The places below: each count in the comparison opens the list of its children, of that many.
            foreach (var child in board.GetProperty("children").EnumerateArray())
            {
                foreach (var (figure, list) in new[] { ("enrolled", "enrolledList"), ("ledger", "ledgerList"), ("cases", "casesList"), ("overdue", "overdueList") })
                {
                    if (child.GetProperty(list).GetString() is not { } url)
                    {
                        Assert.Equal(5, child.GetProperty("place").GetProperty("depth").GetInt32()); // a village
                        continue;
                    }
                    var found = await GetAsync(admin, url + "&pageSize=1");
                    Assert.True(child.GetProperty(figure).GetInt64() == found.GetProperty("total").GetInt64(),
                        $"{child.GetProperty("place").GetProperty("name")} {figure}: figure {child.GetProperty(figure)}, list {found.GetProperty("total")} ({url})");
                    compared++;
                }
            }
        }
        await CheckAsync(county);
        // The funnel's four stages and the overdue steps are among them, each equal to its list.
        foreach (var stage in Measures.FunnelStages)
        {
            Assert.Contains($"{Measures.Funnel} stage={stage}", measures);
        }
        Assert.Contains($"{Measures.Overdue} ", measures);
        Assert.Contains($"{Measures.Overdue} step=verify", measures);

        // The page and the workbook read the same list: the overdue children and a funnel stage, as many as the figures say.
        long Figure(string measure, string dimension) => county.GetProperty("counts").EnumerateArray()
            .Single(c => c.GetProperty("measure").GetString() == measure && c.GetProperty("dimension").GetString() == dimension).GetProperty("value").GetInt64();
        foreach (var (query, figure) in new[] { ("overdue=true", Figure(Measures.Overdue, "")), ("stage=Returned", Figure(Measures.Funnel, "stage=returned")) })
        {
            var html = await admin.GetStringAsync("/ledger?" + query);
            Assert.Contains($"data-total=\"{figure}\"", html);
            Assert.Contains("按统计口径筛选", html);
            using var xlsx = await admin.GetAsync("/api/v1/ledger/export?" + query);
            Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
            using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), false);
            var rows = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().Count();
            Assert.Equal(figure, rows - 2); // the title and the header above the children
        }
        foreach (var township in county.GetProperty("children").EnumerateArray().Where(t => t.GetProperty("enrolled").GetInt64() > 0 || t.GetProperty("ledger").GetInt64() > 0))
        {
            var t = await GetAsync(admin, $"/api/v1/rates?set={set}&path={Uri.EscapeDataString(township.GetProperty("place").GetProperty("path").GetString()!)}");
            await CheckAsync(t);
            foreach (var school in t.GetProperty("children").EnumerateArray().Where(s => s.GetProperty("enrolled").GetInt64() > 0 || s.GetProperty("ledger").GetInt64() > 0))
            {
                await CheckAsync(await GetAsync(admin, $"/api/v1/rates?set={set}&path={Uri.EscapeDataString(school.GetProperty("place").GetProperty("path").GetString()!)}"));
            }
        }
        Assert.True(compared >= 30, "compared " + compared);

        // The dashboard as a workbook: the place and the places below, the targets on top, the place and date in the title.
        using (var sheet = await admin.GetAsync($"/api/v1/rates/export?set={set}"))
        {
            Assert.Equal(HttpStatusCode.OK, sheet.StatusCode);
            using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(await sheet.Content.ReadAsByteArrayAsync()), false);
            var part = document.WorkbookPart!;
            var rows = part.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().ToList();
            string Text(DocumentFormat.OpenXml.Spreadsheet.Cell c) => c.InlineString?.InnerText ?? (c.DataType?.Value == DocumentFormat.OpenXml.Spreadsheet.CellValues.SharedString
                ? part.SharedStringTablePart!.SharedStringTable.ElementAt(int.Parse(c.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)).InnerText : c.CellValue?.Text ?? "");
            var name = county.GetProperty("place").GetProperty("name").GetString()!;
            Assert.Contains(name, Text(rows[0].Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().First()));
            Assert.Equal(county.GetProperty("children").GetArrayLength() + 4, rows.Count); // title, header, targets, the place, the places below
            var own = rows[3].Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(Text).ToList();
            Assert.Equal(name, own[0]);
            Assert.Equal(Baoxue.Features.Rates.Pages.RatesBoard.Percent(enrolment.GetProperty("percent").GetDecimal()) + "（未达标）", own[1]);
        }

        // A bad stage is refused naming the field.
        using var bad = await admin.GetAsync("/api/v1/ledger/entries?stage=Gone");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("stage", await bad.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_snapshot_keeps_saying_what_it_said_while_the_current_figures_move_on()
    {
        await ArrangeAsync();
        using var admin = await app.ClientAsync("county.admin");
        using var taken = await admin.PostAsJsonAsync("/api/v1/rates/sets", new { note = "三月报表" }, Json);
        Assert.True(taken.IsSuccessStatusCode, await taken.Content.ReadAsStringAsync());
        var snapshot = (await taken.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid();
        long Enrolled(JsonElement b) => b.GetProperty("counts").EnumerateArray().Single(c => c.GetProperty("measure").GetString() == Measures.Enrolled && c.GetProperty("dimension").GetString() == "").GetProperty("value").GetInt64();
        var before = Enrolled(await GetAsync(admin, $"/api/v1/rates?set={snapshot}"));

        await using (var db = app.Db())
        {
            var c = await db.Classes.Where(x => x.SchoolYear!.IsCurrent && x.Grade == 3).OrderBy(x => x.Path).FirstAsync();
            db.Students.Add(new Student { RegistryNumber = "L201501019999", Name = "测试新生" + Guid.NewGuid().ToString("N")[..4], Gender = Gender.Male, Ethnicity = "01", BirthDate = new DateOnly(2015, 1, 1), SchoolId = c.SchoolId, ClassId = c.Id, Grade = 3, Path = c.Path });
            await db.SaveChangesAsync();
        }
        var current = await RecomputeAsync(admin);
        Assert.Equal(before + 1, Enrolled(await GetAsync(admin, $"/api/v1/rates?set={current}")));
        Assert.Equal(before, Enrolled(await GetAsync(admin, $"/api/v1/rates?set={snapshot}")));
        var sets = await GetAsync(admin, "/api/v1/rates/sets");
        Assert.Contains(sets.GetProperty("items").EnumerateArray(), s => s.GetProperty("id").GetGuid() == snapshot && s.GetProperty("note").GetString() == "三月报表");
    }

    [Fact]
    public async Task Targets_are_set_by_the_county_administrator_checked_and_inherited()
    {
        using var admin = await app.ClientAsync("county.admin");
        using var bad = await admin.PutAsJsonAsync("/api/v1/rates/targets", new { rate = RateRules.JuniorRetention, percent = 100.5m }, Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("目标须为 0 至 100", await bad.Content.ReadAsStringAsync());
        using var good = await admin.PutAsJsonAsync("/api/v1/rates/targets", new { rate = RateRules.JuniorRetention, percent = 98.5m }, Json);
        Assert.True(good.IsSuccessStatusCode, await good.Content.ReadAsStringAsync());
        var targets = await GetAsync(admin, "/api/v1/rates/targets");
        Assert.Equal(98.5m, targets.EnumerateArray().Single(t => t.GetProperty("rate").GetString() == RateRules.JuniorRetention).GetProperty("percent").GetDecimal());

        using var staff = await app.ClientAsync("bureau.staff");
        using var refused = await staff.PutAsJsonAsync("/api/v1/rates/targets", new { rate = RateRules.JuniorRetention, percent = 90m }, Json);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        // A township inherits the county's target.
        using var township = await app.ClientAsync("township.cadre");
        var inherited = await GetAsync(township, "/api/v1/rates/targets");
        Assert.Equal(98.5m, inherited.EnumerateArray().Single(t => t.GetProperty("rate").GetString() == RateRules.JuniorRetention).GetProperty("percent").GetDecimal());
    }
}

public sealed class RatesTests_Sqlite(SqliteApp app) : RatesTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class RatesTests_Postgres(PostgresApp app) : RatesTests<PostgresApp>(app), IClassFixture<PostgresApp>;

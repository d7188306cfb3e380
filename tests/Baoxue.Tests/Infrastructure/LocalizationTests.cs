using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Baoxue.Domain;
using Baoxue.Features.Accounts;
using Baoxue.Features.Organisation.Divisions;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Spreadsheets;
using Baoxue.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Baoxue.Tests.Infrastructure;

/// <summary>
/// The interface is Chinese first and English on request: every string the code asks for is in the table in
/// both languages, a browser's language does not switch it, the user's choice does, and dates, school years
/// and grades read the way Chinese officials write them.
/// </summary>
public sealed partial class LocalizationTests(LocalizationApp fixture) : IClassFixture<LocalizationApp>
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Baoxue.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Baoxue.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string TablePath => Path.Combine(RepositoryRoot, "src", "Baoxue", "Resources");

    // The shared table and one per feature area (Strings.Registry.tsv, …), all embedded by the application.
    private static IEnumerable<string> TablePaths() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot, "src", "Baoxue", "Resources"), "Strings*.tsv").Order(StringComparer.Ordinal);

    private static List<(string Line, string[] Cells)> TableRows() =>
        [.. TablePaths().SelectMany(path => File.ReadAllLines(path).Select((text, i) => (Line: $"{Path.GetFileName(path)}:{i + 1}", Text: text)))
            .Where(r => r.Text.Length > 0 && !r.Text.StartsWith('#'))
            .Select(r => (r.Line, r.Text.Split('\t')))];

    private static HashSet<string> TableKeys() => [.. TableRows().Select(r => r.Cells[0])];

    private static IEnumerable<(string File, int Line, string Text)> SourceLines() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllLines(f).Select((text, i) => (Path.GetRelativePath(RepositoryRoot, f), i + 1, text)));

    // ---------- the string table ----------

    [Fact]
    public void Every_row_of_the_string_table_has_a_key_and_both_languages()
    {
        var rows = TableRows();

        Assert.True(rows.Count > 100, $"only {rows.Count} rows read from {TablePath}");
        var bad = rows.Where(r => r.Cells.Length != 3 || r.Cells.Any(c => c.Trim().Length == 0))
            .Select(r => $"line {r.Line}: {string.Join(" | ", r.Cells)}").ToList();
        Assert.True(bad.Count == 0, "rows without a key, a Chinese or an English text:\n" + string.Join("\n", bad));
        var duplicates = rows.GroupBy(r => r.Cells[0]).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "keys listed twice: " + string.Join(", ", duplicates));
    }

    [Fact]
    public void Both_languages_of_a_string_take_the_same_placeholders()
    {
        var mismatched = TableRows().Where(r => r.Cells.Length == 3)
            .Where(r => !Placeholders(r.Cells[1]).SetEquals(Placeholders(r.Cells[2])))
            .Select(r => $"line {r.Line}: {r.Cells[0]}").ToList();

        Assert.True(mismatched.Count == 0, "placeholders differ between zh-CN and en-US:\n" + string.Join("\n", mismatched));
    }

    private static HashSet<string> Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value)];

    [Fact]
    public void The_application_embeds_the_table_in_the_repository()
    {
        var embedded = TextTable.Load();

        Assert.Equal(TableKeys().Order(StringComparer.Ordinal), embedded.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("学校标识码", embedded.Find("Col.SchoolCode", new CultureInfo("zh-CN")));
        Assert.Equal("School code", embedded.Find("Col.SchoolCode", new CultureInfo("en-US")));
    }

    [Fact]
    public void Every_key_written_in_the_source_is_in_the_string_table()
    {
        var keys = TableKeys();
        var used = new List<(string File, int Line, string Key)>();
        foreach (var (file, line, text) in SourceLines())
        {
            // L["Key"], text["Key", args]: a whole key unless something is appended to it.
            used.AddRange(IndexerPattern().Matches(text).Where(m => !m.Groups["plus"].Success).Select(m => (file, line, m.Groups["key"].Value)));
            // new FieldError(field, "Key", …) and Outcome.Invalid("Field", "Key", …).
            used.AddRange(FieldErrorPattern().Matches(text).Select(m => (file, line, m.Groups["key"].Value)));
            used.AddRange(InvalidPattern().Matches(text).Select(m => (file, line, m.Groups["key"].Value)));
            // report.Add(row, column, value, "Key" or a choice of keys, …); column names and keys passed as arguments ("Field.Name").
            if (text.Contains("report.Add(", StringComparison.Ordinal) || text.Contains("FieldError(", StringComparison.Ordinal) || text.Contains(".Invalid(", StringComparison.Ordinal))
            {
                used.AddRange(KeyLiteralPattern().Matches(text).Select(m => (file, line, m.Groups["key"].Value)));
            }
        }

        Assert.True(used.Count > 200, $"only {used.Count} key uses found: is the scan still reading the source?");
        Assert.Contains(used, u => u.Key == "Import.NumericCell");
        Assert.Contains(used, u => u.Key == "Division.CodeRule");
        // A key ending in "." is a prefix with something appended: the prefix test checks every value.
        var missing = used.Where(u => !u.Key.EndsWith('.') && !keys.Contains(u.Key)).Select(u => $"{u.File}:{u.Line} {u.Key}").Distinct().ToList();
        Assert.True(missing.Count == 0, "keys missing from Strings.tsv:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_literal_that_looks_like_a_table_key_is_in_the_table()
    {
        var keys = TableKeys();
        var prefixes = keys.Select(k => k.Split('.')[0]).ToHashSet(StringComparer.Ordinal);

        var missing = SourceLines()
            .SelectMany(l => KeyLiteralPattern().Matches(l.Text).Select(m => (l.File, l.Line, Key: m.Groups["key"].Value)))
            .Where(u => prefixes.Contains(u.Key.Split('.')[0]) && !keys.Contains(u.Key))
            .Select(u => $"{u.File}:{u.Line} {u.Key}").Distinct().ToList();

        Assert.True(missing.Count == 0, "keys missing from Strings.tsv:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_key_built_from_a_prefix_exists_for_every_value_the_prefix_is_given()
    {
        var keys = TableKeys();
        var expanded = new Dictionary<string, IEnumerable<string>>(StringComparer.Ordinal)
        {
            ["Role."] = Enum.GetNames<Role>(),
            ["PlaceKind."] = Enum.GetNames<PlaceKind>(),
            ["SchoolKind."] = Enum.GetNames<SchoolKind>(),
            ["DepartmentKind."] = Enum.GetNames<DepartmentKind>(),
            ["AuditAction."] = Enum.GetNames<AuditAction>(),
            ["DivisionKind."] = SaveDivision.TownshipKinds.Concat(SaveDivision.VillageKinds),
            ["Import.File."] = Enum.GetNames<SpreadsheetError>(),
            ["Identity."] = IdentityErrorKeys().Select(k => k["Identity.".Length..]),
            ["Gender."] = Enum.GetNames<Gender>(),
            ["StudentStatus."] = Enum.GetNames<StudentStatus>(),
            ["GroupKind."] = Enum.GetNames<GroupKind>(),
            ["HouseholdType."] = Enum.GetNames<HouseholdType>(),
            ["GuardianRelation."] = Enum.GetNames<GuardianRelation>(),
            ["Disability."] = Baoxue.Features.Registry.SaveStudent.DisabilityTypes,
            ["RollCallState."] = Enum.GetNames<RollCallState>(),
            ["RollCallMarkKind."] = Enum.GetNames<RollCallMarkKind>(),
            ["Weekday."] = Enum.GetNames<DayOfWeek>(),
            ["Student.Id."] = Enum.GetNames<IdNumberError>(),
            ["Student.RegistryNumber."] = Enum.GetNames<RegistryNumber.Problem>().Where(p => p != nameof(RegistryNumber.Problem.None)),
            ["StatusChangeKind."] = Enum.GetNames<StatusChangeKind>(),
            ["StatusChangeState."] = Enum.GetNames<StatusChangeState>(),
            // Ledger
            ["LedgerList."] = Enum.GetNames<Baoxue.Features.Ledger.LedgerList>(),
            ["LedgerSource."] = Enum.GetNames<Baoxue.Features.Ledger.LedgerSource>(),
            ["LedgerEntryState."] = Enum.GetNames<LedgerEntryState>(),
            ["LedgerCaseState."] = Enum.GetNames<LedgerCaseState>(),
            ["VerificationOutcome."] = Enum.GetNames<VerificationOutcome>(),
            ["LedgerClosure."] = Enum.GetNames<LedgerClosure>(),
            ["EscalationStep."] = Enum.GetNames<EscalationStep>(),
            ["PlacementKind."] = Enum.GetNames<PlacementKind>(),
            ["LedgerIntakeOutcome."] = Enum.GetNames<Baoxue.Features.Ledger.LedgerIntakeOutcome>(),
            ["Access.Usage."] = Enum.GetNames<Baoxue.Features.Accounts.AccessQueries.Usage>(),
            ["AttendanceKind."] = Enum.GetNames<AttendanceKind>(),
            ["LeaveKind."] = Enum.GetNames<LeaveKind>(),
            ["LeaveState."] = Enum.GetNames<LeaveState>(),
            // Casework
            ["Casework.View."] = Enum.GetNames<Baoxue.Features.Casework.CaseworkQueries.View>(),
            ["Casework.Method."] = Enum.GetNames<PersuasionMethod>(),
            ["Casework.Attitude."] = Enum.GetNames<PersuasionAttitude>(),
            ["Casework.Outcome."] = Enum.GetNames<PersuasionOutcome>(),
            ["Casework.Issuer."] = Enum.GetNames<NoticeIssuer>(),
            ["Casework.NoticeKind."] = Enum.GetNames<NoticeKind>(),
            ["Casework.Title."] = Enum.GetNames<NoticeKind>(),
            ["Casework.Basis."] = Enum.GetNames<NoticeKind>(),
            ["Casework.Demand."] = Enum.GetNames<NoticeKind>(),
            ["Casework.GradeRule."] = Enum.GetNames<Baoxue.Features.Casework.CaseworkRules.GradeRule>(),
            // Reconciliation
            ["ReconciliationOutcome."] = Enum.GetNames<ReconciliationOutcome>(),
            ["AgeBand."] = Enum.GetNames<AgeBand>(),
            ["Residency."] = Enum.GetNames<Residency>(),
            ["MatchKind."] = Enum.GetNames<MatchKind>(),
            ["NameAgreement."] = Enum.GetNames<Baoxue.Features.Reconciliation.Matching.NameAgreement>(),
            ["PlaceDistance."] = Enum.GetNames<Baoxue.Features.Reconciliation.Matching.PlaceDistance>(),
            ["ReverseKind."] = Enum.GetNames<Baoxue.Features.Reconciliation.ReconciliationQueries.ReverseKind>(),
            ["Recon.SchoolCount."] = Enum.GetNames<Baoxue.Features.Reconciliation.ReconciliationQueries.SchoolCount>(),
            // Reporting
            ["Reporting.Kind."] = Enum.GetNames<ReportKind>(),
            ["Reporting.State."] = Enum.GetNames<ReportState>(),
            ["Reporting.View."] = Enum.GetNames<Baoxue.Features.Reporting.ReportQueries.View>(),
            ["Reporting.Moment."] = Enum.GetNames<Baoxue.Features.Reporting.StatMoment>(),
            ["Reporting.Table.Title."] = Enum.GetNames<Baoxue.Features.Reporting.StatMoment>(),
            ["Reporting.Phase."] = Enum.GetNames<CampaignPhaseKind>(),
            ["Reporting.PhaseState."] = Enum.GetNames<PhaseState>(),
            ["Reporting.Task.Due."] = Enum.GetNames<ReportKind>(),
            ["Reporting.Tile.Confirmed."] = Enum.GetNames<CampaignPhaseKind>(),
            ["Reporting.Tile.Overdue."] = Enum.GetNames<CampaignPhaseKind>(),
            ["TransitionKind."] = Enum.GetNames<TransitionKind>(),
            ["TransitionState."] = Enum.GetNames<TransitionState>(),
            ["EntryNoticeState."] = Enum.GetNames<EntryNoticeState>(),
            ["CensusMatch."] = Enum.GetNames<CensusMatch>(),
            // Holidays
            ["Holiday.Name."] = Enum.GetNames<HolidayKind>(),
            ["HolidayPlanState."] = [.. Enum.GetNames<HolidayPlanState>(), "None"],
            ["NotBackReason."] = Enum.GetNames<NotBackReason>(),
            // Rates
            ["Rate."] = [.. Baoxue.Features.Rates.RateRules.All],
            ["Rate.Formula."] = [.. Baoxue.Features.Rates.RateRules.All],
            ["FigureSetKind."] = Enum.GetNames<Baoxue.Features.Rates.FigureSetKind>(),
            ["Rates.Step."] = ["verify", "approve", "assign", "attempt"],
            ["Rates.Funnel."] = [.. Baoxue.Features.Rates.Measures.FunnelStages],
            ["Rates.Col."] = ["reason", "grade", "group"],
            ["Rates.Measure."] = [Baoxue.Features.Rates.Measures.Enrolled, Baoxue.Features.Rates.Measures.EnrolledDisabled, Baoxue.Features.Rates.Measures.Confirmed, Baoxue.Features.Rates.Measures.ConfirmedDisabled, Baoxue.Features.Rates.Measures.Ledger],
        };

        var prefixesInSource = SourceLines()
            .SelectMany(l => PrefixPattern().Matches(l.Text).Select(m => (l.File, l.Line, Prefix: m.Groups["prefix"].Value)))
            .ToList();
        Assert.Contains(prefixesInSource, p => p.Prefix == "Role.");
        var unknown = prefixesInSource.Where(p => !expanded.ContainsKey(p.Prefix)).Select(p => $"{p.File}:{p.Line} {p.Prefix}").ToList();
        Assert.True(unknown.Count == 0, "keys are built from a prefix this test does not know the values of; add them:\n" + string.Join("\n", unknown));

        var missing = expanded.SelectMany(e => e.Value.Select(v => e.Key + v)).Where(k => !keys.Contains(k)).ToList();
        Assert.True(missing.Count == 0, "keys missing from Strings.tsv: " + string.Join(", ", missing));
        Assert.Contains("Role.", keys); // an account without a role reads as a dash
    }

    /// <summary>The keys Identity's error describer asks for, found by calling every one of its messages.</summary>
    private static List<string> IdentityErrorKeys()
    {
        var recorder = new RecordingLocalizer();
        var describer = new ChineseIdentityErrors(recorder);
        foreach (var method in typeof(ChineseIdentityErrors).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == typeof(IdentityError)))
        {
            method.Invoke(describer, [.. method.GetParameters().Select(p => p.ParameterType == typeof(int) ? (object)8 : "x")]);
        }
        Assert.True(recorder.Keys.Count >= 7, "the describer asked for " + string.Join(", ", recorder.Keys));
        return recorder.Keys;
    }

    private sealed class RecordingLocalizer : IStringLocalizer<Strings>
    {
        public List<string> Keys { get; } = [];

        public LocalizedString this[string name]
        {
            get
            {
                Keys.Add(name);
                return new LocalizedString(name, name);
            }
        }

        public LocalizedString this[string name, params object[] arguments] => this[name];

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => [];
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"\b(?:L|text)\[\s*""(?<key>[^""]*)""\s*(?<plus>\+)?")]
    private static partial Regex IndexerPattern();

    [GeneratedRegex(@"FieldError\(\s*[^,]+,\s*""(?<key>[^""]+)""(?!\s*\+)")]
    private static partial Regex FieldErrorPattern();

    [GeneratedRegex(@"\.Invalid\(\s*""[^""]*""\s*,\s*""(?<key>[^""]+)""(?!\s*\+)")]
    private static partial Regex InvalidPattern();

    [GeneratedRegex(@"""(?<key>[A-Z][A-Za-z]*(?:\.[A-Za-z0-9]+)+)""")]
    private static partial Regex KeyLiteralPattern();

    [GeneratedRegex(@"""(?<prefix>[A-Z][A-Za-z]*\.(?:[A-Za-z]+\.)*)""\s*\+")]
    private static partial Regex PrefixPattern();

    // ---------- the interface language ----------

    [Fact]
    public async Task A_browser_asking_for_English_still_gets_the_Chinese_sign_in_page()
    {
        using var client = fixture.App.AnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/login");
        request.Headers.AcceptLanguage.ParseAdd("en-US,en;q=0.9");

        using var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"zh-CN\">", html);
        Assert.Matches("<h1[^>]*>登录</h1>", html);
        Assert.Contains("用户名", html);
        Assert.DoesNotContain("Sign in", html);
    }

    [Fact]
    public async Task Choosing_English_turns_the_sign_in_page_English_and_choosing_Chinese_turns_it_back()
    {
        using var client = fixture.App.AnonymousClient();

        var switched = await SwitchCultureAsync(client, "en-US");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/login", switched.Headers.Location?.OriginalString);
        var english = await client.GetStringAsync("/login");
        Assert.Contains("<html lang=\"en-US\">", english);
        Assert.Matches("<h1[^>]*>Sign in</h1>", english);
        Assert.Contains("User name", english);
        Assert.Contains("简体中文", english); // the way back

        await SwitchCultureAsync(client, "zh-CN");
        Assert.Matches("<h1[^>]*>登录</h1>", await client.GetStringAsync("/login"));
    }

    [Fact]
    public async Task An_unknown_language_is_refused()
    {
        using var client = fixture.App.AnonymousClient();

        var response = await SwitchCultureAsync(client, "fr-FR");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches("<h1[^>]*>登录</h1>", await client.GetStringAsync("/login"));
    }

    private static async Task<HttpResponseMessage> SwitchCultureAsync(HttpClient client, string culture)
    {
        var page = await client.GetStringAsync("/login");
        var token = TokenPattern().Match(page).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), "no anti-forgery token on the sign-in page");
        return await client.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = culture,
            ["returnUrl"] = "/login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    // ---------- Chinese formats ----------

    private static T In<T>(string culture, Func<T> read)
    {
        var saved = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            return read();
        }
        finally
        {
            CultureInfo.CurrentUICulture = saved;
        }
    }

    [Fact]
    public void Dates_school_years_terms_grades_and_classes_read_as_Chinese_officials_write_them()
    {
        Assert.Equal("2026年9月1日", In("zh-CN", () => ChineseFormat.Date(new DateOnly(2026, 9, 1))));
        Assert.Equal("2026年12月31日", In("zh-CN", () => ChineseFormat.Date(new DateOnly(2026, 12, 31))));
        Assert.Equal("2026—2027学年", In("zh-CN", () => ChineseFormat.SchoolYear(2026)));
        Assert.Equal("七年级", In("zh-CN", () => ChineseFormat.Grade(7)));
        Assert.Equal("一年级", In("zh-CN", () => ChineseFormat.Grade(1)));
        Assert.Equal("三年级（9）班", In("zh-CN", () => ChineseFormat.ClassName(3, 9)));
        Assert.Equal(("第一学期", "第二学期"), In("zh-CN", () => (ChineseFormat.Term(1), ChineseFormat.Term(2))));
    }

    [Fact]
    public void In_English_the_same_values_read_plainly()
    {
        Assert.Equal("1 Sep 2026", In("en-US", () => ChineseFormat.Date(new DateOnly(2026, 9, 1))));
        Assert.Equal("2026–2027", In("en-US", () => ChineseFormat.SchoolYear(2026)));
        Assert.Equal("Grade 7", In("en-US", () => ChineseFormat.Grade(7)));
        Assert.Equal("Grade 3 Class 9", In("en-US", () => ChineseFormat.ClassName(3, 9)));
    }

    [Theory]
    [InlineData("初一", 7)]
    [InlineData("初二", 8)]
    [InlineData("初三", 9)]
    [InlineData("三年级", 3)]
    [InlineData("七年级", 7)]
    [InlineData(" 九年级 ", 9)]
    [InlineData("3", 3)]
    [InlineData("Grade 3", 3)]
    public void Grades_are_read_as_sheets_write_them(string text, int grade)
    {
        Assert.True(ChineseFormat.TryParseGrade(text, out var read), text);
        Assert.Equal(grade, read);
    }

    [Theory]
    [InlineData("初四")]
    [InlineData("高一")]
    [InlineData("十年级")]
    [InlineData("0")]
    [InlineData("10")]
    [InlineData("")]
    [InlineData(null)]
    public void Text_that_is_not_a_grade_from_one_to_nine_is_not_read_as_one(string? text)
    {
        Assert.False(ChineseFormat.TryParseGrade(text, out _), text);
    }

    [Theory]
    [InlineData("2026—2027学年", 2026)]
    [InlineData("2026-2027学年", 2026)]
    [InlineData("2026-2027", 2026)]
    [InlineData("2026", 2026)]
    public void School_years_are_read_by_their_starting_year(string text, int startYear)
    {
        Assert.True(ChineseFormat.TryParseSchoolYear(text, out var read), text);
        Assert.Equal(startYear, read);
    }
}

/// <summary>The application without the demo county: the sign-in page and the language switch need no data.</summary>
public sealed class LocalizationApp : IAsyncLifetime
{
    public BaoxueApp App { get; } = new SqliteApp().With("Demo:Enabled", "false");

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync();
}

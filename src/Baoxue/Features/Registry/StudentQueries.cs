using System.Globalization;
using System.Text;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Baoxue.Features.Registry;

/// <summary>The orders the student list offers; each has an index that ends in (NameKey, Id) so it pages by seek.</summary>
public enum StudentSort
{
    /// <summary>School, class, then name: the paths order schools and classes, then pinyin.</summary>
    School = 0,
    /// <summary>Pinyin of the name.</summary>
    Name = 1,
    /// <summary>Grade, then school, class and name.</summary>
    Grade = 2,
    /// <summary>学籍状态, then school, class and name.</summary>
    Status = 3,
}

/// <summary>
/// The one student list: the page, its export and <c>GET /api/v1/students</c> all read through <see cref="ListAsync"/>
/// (or <see cref="Rows"/> for the export), within the user's jurisdiction; IDs and phones come out masked.
/// </summary>
public static class StudentQueries
{
    public sealed record Filter(
        string? Q = null, Guid? SchoolId = null, Guid? ClassId = null, int? Grade = null, StudentStatus? Status = null, GroupKind? Group = null,
        Guid? TownshipId = null, StudentSort? Sort = null, string? Disability = null,
        // A county or city (a division's id): a city or province user's drill-down from a figure into one place of theirs.
        Guid? DivisionId = null)
    {
        /// <summary>A name search lists by pinyin unless another order is chosen; otherwise school and class.</summary>
        public StudentSort Order => Sort ?? (IsNameSearch ? StudentSort.Name : StudentSort.School);

        internal bool IsNameSearch => !string.IsNullOrWhiteSpace(Q) && !IsCode(Q.Trim());

        // Registry numbers and ID numbers are letters and digits; a name has at least one Chinese character or a "·".
        internal static bool IsCode(string term) => term.All(char.IsAsciiLetterOrDigit);
    }

    /// <summary>A list row as the user may see it (<see cref="IdDisclosure"/>): BirthDate is null for users who see only <see cref="BirthMonth"/>.</summary>
    public sealed record StudentRow(Guid Id, string RegistryNumber, string? IdNumberMasked, string Name, Gender Gender, DateOnly? BirthDate, string BirthMonth, string Ethnicity, Guid SchoolId, string School, Guid? ClassId, int Grade, int? ClassNumber, StudentStatus Status);

    /// <summary>Where in the list: a page number (offset) or, for deep pages, the seek position after the last row seen.</summary>
    public sealed record Paging(int Page = 1, int PageSize = DefaultPageSize, string? After = null);

    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = 1_000_000;

    /// <summary>Counted exactly up to this many rows; above it PostgreSQL's planner estimate is given, flagged as one.</summary>
    public const int ExactCountLimit = 50_000;

    /// <param name="counting">The same rows, shaped for counting them all rather than reading the first in list order.</param>
    public static IQueryable<Student> Apply(BaoxueDb db, PersonalData personal, Filter f, bool counting = false)
    {
        var query = db.Students.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            var term = f.Q.Trim();
            // A whole ID number is looked up by its keyed hash: the database never sees it.
            var id = IdNumber.Parse(term.StartsWith('G') || term.StartsWith('g') ? term[1..] : term);
            // Finding a child by a whole ID confirms a guess; only users who may see the ID anyway may ask
            // (otherwise 15,000 guesses would undo the masking, decision 0014). Others get no match.
            if (id.IsValid && !db.Disclosure.Full)
            {
                query = query.Where(s => false);
            }
            else if (id.IsValid)
            {
                var hash = personal.Hash(id.Normalized);
                query = query.Where(s => s.IdNumberHash == hash);
            }
            else if (Filter.IsCode(term))
            {
                var upper = term.ToUpperInvariant();
                query = query.Where(s => s.RegistryNumber == upper);
            }
            else
            {
                // A name from its start (surname, or surname and given name): a range of the pinyin key, which
                // the (NameKey, Id) index answers in list order, then the exact prefix (two names may read alike).
                var (from, to) = KeyRange(term);
                query = query.Where(s => string.Compare(s.NameKey, from) >= 0 && string.Compare(s.NameKey, to) < 0 && s.Name.StartsWith(term));
            }
        }
        if (f.TownshipId is { } township)
        {
            query = query.Where(s => db.Schools.Any(x => x.Id == s.SchoolId && x.TownshipId == township));
            query = WithinPath(db, query, db.Divisions.Where(d => d.Id == township).Select(d => d.Path));
        }
        if (f.DivisionId is { } division)
        {
            var within = db.Divisions.IgnoreQueryFilters().Where(d => d.Id == division && d.Level <= DivisionLevel.County).Select(d => d.Path);
            query = query.Where(s => within.Any(p => s.Path.StartsWith(p)));
        }
        if (f.SchoolId is { } school)
        {
            query = query.Where(s => s.SchoolId == school);
            query = WithinPath(db, query, db.Schools.Where(x => x.Id == school).Select(x => x.Path));
        }
        if (f.ClassId is { } cls)
        {
            query = query.Where(s => s.ClassId == cls);
            query = WithinPath(db, query, db.Classes.Where(c => c.Id == cls).Select(c => c.Path));
        }
        if (f.Grade is { } grade)
        {
            query = query.Where(s => s.Grade == grade);
        }
        if (f.Status is { } status)
        {
            query = query.Where(s => s.Status == status);
        }
        if (f.Group is { } group)
        {
            // A page walks the list's index and probes each child's tags until it has its rows (EXISTS). Counting on
            // SQLite that way probed all 150,000 children of a county (2.9 s under load); as IN it collects the
            // group's children once and looks each up by key. PostgreSQL plans both as one semi-join and is not asked
            // for an exact count of a large set.
            query = counting && !db.Database.IsNpgsql()
                ? query.Where(s => db.GroupTags.Where(t => t.Kind == group && t.EndedOn == null).Select(t => t.StudentId).Contains(s.Id))
                : query.Where(s => s.Tags.Any(t => t.Kind == group && t.EndedOn == null));
        }
        if (!string.IsNullOrEmpty(f.Disability))
        {
            // The 三类残疾 figures' drill-down (decision 0027): an active Disabled tag of this 残疾类别.
            query = query.Where(s => s.Tags.Any(t => t.Kind == GroupKind.Disabled && t.EndedOn == null && t.DisabilityType == f.Disability));
        }
        return query;
    }

    // What of the ID and birth date shows is decided in the final projection (Project), so page, API and export agree.
    /// <summary>
    /// On SQLite a place's students are also bounded by the place's path as a range, which its BINARY collation
    /// orders by code point: the (Path, NameKey, Id) index then reads just that place, already in list order, where
    /// the equality alone made it sort a whole large school. (PostgreSQL's schools are small next to its registry, and
    /// its collation is the deployment's choice, so it keeps the equality alone.)
    /// </summary>
    private static IQueryable<Student> WithinPath(BaoxueDb db, IQueryable<Student> query, IQueryable<string> place)
    {
        if (db.Database.IsNpgsql() || place.FirstOrDefault() is not { Length: > 0 } path)
        {
            return query;
        }
        // Paths end in "/", and "0" follows "/": [path, path without "/" + "0") holds exactly the paths below it.
        var end = path[..^1] + "0";
        return query.Where(s => string.Compare(s.Path, path) >= 0 && string.Compare(s.Path, end) < 0);
    }

    /// <summary>The keys of every name starting with <paramref name="term"/> lie in [from, to): keys are hex, so "g" is above any continuation.</summary>
    internal static (string From, string To) KeyRange(string term)
    {
        var key = PinyinOrder.Key(term);
        return (key, key + "g");
    }

    public static IOrderedQueryable<Student> Ordered(IQueryable<Student> query, StudentSort sort) => sort switch
    {
        StudentSort.Name => query.OrderBy(s => s.NameKey).ThenBy(s => s.Id),
        StudentSort.Grade => query.OrderBy(s => s.Grade).ThenBy(s => s.Path).ThenBy(s => s.NameKey).ThenBy(s => s.Id),
        StudentSort.Status => query.OrderBy(s => s.Status).ThenBy(s => s.Path).ThenBy(s => s.NameKey).ThenBy(s => s.Id),
        _ => query.OrderBy(s => s.Path).ThenBy(s => s.NameKey).ThenBy(s => s.Id),
    };

    private sealed record Keyed(StudentRow Row, string Path, string NameKey);

    private static IQueryable<Keyed> Project(IQueryable<Student> query, IdDisclosure disclosure) =>
        query.Select(s => new Keyed(
            new StudentRow(s.Id, disclosure.RegistryNumber(s.RegistryNumber), disclosure.IdNumber(s.IdNumberMasked), s.Name, s.Gender, disclosure.BirthDate(s.BirthDate), IdDisclosure.BirthMonth(s.BirthDate), s.Ethnicity, s.SchoolId, s.School!.Name, s.ClassId, s.Grade, s.Class != null ? s.Class.Number : null, s.Status),
            s.Path, s.NameKey));

    /// <summary>Every matching row in list order (the export).</summary>
    public static IQueryable<StudentRow> Rows(BaoxueDb db, PersonalData personal, Filter f) =>
        Project(Ordered(Apply(db, personal, f), f.Order), db.Disclosure).Select(k => k.Row);

    /// <summary>One page of the list with its total and the address of the next page (a seek cursor).</summary>
    public static async Task<PagedResult<StudentRow>> ListAsync(BaoxueDb db, PersonalData personal, Filter f, Paging paging, Func<Paging, string>? link = null, CancellationToken ct = default)
    {
        var filtered = Apply(db, personal, f);
        var (total, estimate) = await CountAsync(db, db.Database.IsNpgsql() ? filtered : Apply(db, personal, f, counting: true), ct);
        var sort = f.Order;
        IQueryable<Student> page = filtered;
        var skip = 0;
        if (paging.After is { } after && Cursor.Read(after, sort) is { } cursor)
        {
            page = After(db, page, sort, cursor);
        }
        else
        {
            skip = (paging.Page - 1) * paging.PageSize;
        }
        var rows = await Project(Ordered(page, sort), db.Disclosure).Skip(skip).Take(paging.PageSize + 1).ToListAsync(ct);
        string? next = null;
        if (rows.Count > paging.PageSize)
        {
            rows.RemoveAt(rows.Count - 1);
            var last = rows[^1];
            next = (link ?? DefaultLink)(paging with { Page = paging.Page + 1, After = Cursor.Write(sort, last.Row, last.Path, last.NameKey) });
        }
        return new PagedResult<StudentRow>([.. rows.Select(r => r.Row)], total, paging.Page, paging.PageSize, next, estimate);
    }

    private static string DefaultLink(Paging p) => $"?page={p.Page}&pageSize={p.PageSize}&after={p.After}";

    /// <summary>
    /// On SQLite (a county) exact, and reused while the registry is unchanged (<see cref="SqliteCounts"/>).
    /// On PostgreSQL exact up to <see cref="ExactCountLimit"/>, where the planner's estimate comes first (a millisecond):
    /// when it says the set is large, the estimate is given, flagged as one, since counting a province — or even the
    /// first 50,000 children of a rare group, probing tags row by row — would alone exceed the page's budget.
    /// </summary>
    private static async Task<(int Total, bool Estimate)> CountAsync(BaoxueDb db, IQueryable<Student> query, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return (await SqliteCounts.CountAsync(db, query.Select(s => s.Id), ct), false);
        }
        // The ids' SQL is made once for both statements: each CreateDbCommand walks and looks up the whole query again.
        using var ids = query.Select(s => s.Id).CreateDbCommand();
        var estimate = await EstimateAsync(db, ids, ct);
        if (estimate <= ExactCountLimit)
        {
            var capped = (int)await CountUpToAsync(db, ids, ExactCountLimit + 1, ct);
            if (capped <= ExactCountLimit)
            {
                return (capped, false);
            }
        }
        return ((int)Math.Clamp(estimate, ExactCountLimit + 1, int.MaxValue), true);
    }

    /// <summary>PostgreSQL's estimate of how many rows the query returns (EXPLAIN, nothing is read).</summary>
    private static async Task<double> EstimateAsync(BaoxueDb db, System.Data.Common.DbCommand ids, CancellationToken ct)
    {
        var json = (string)(await ScalarAsync(db, ids, sql => "EXPLAIN (FORMAT JSON) " + sql, ct))!;
        using var plan = System.Text.Json.JsonDocument.Parse(json);
        return plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
    }

    /// <summary>
    /// How many rows, counting no further than <paramref name="limit"/>. Written around the query's own SQL because
    /// LINQ's Take before Count is a row limit without an order, which EF rightly flags; a count needs no order.
    /// </summary>
    private static async Task<long> CountUpToAsync(BaoxueDb db, System.Data.Common.DbCommand ids, int limit, CancellationToken ct) =>
        Convert.ToInt64(await ScalarAsync(db, ids, sql => $"SELECT count(*) FROM ({sql} LIMIT {limit.ToString(CultureInfo.InvariantCulture)}) AS capped", ct), CultureInfo.InvariantCulture);

    /// <summary>Runs the query's SQL (with its parameters) wrapped by <paramref name="wrap"/> on the context's connection.</summary>
    private static async Task<object?> ScalarAsync(BaoxueDb db, System.Data.Common.DbCommand ids, Func<string, string> wrap, CancellationToken ct)
    {
        var sql = ids.CommandText;
        ids.CommandText = wrap(sql);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            ids.Connection = db.Database.GetDbConnection();
            ids.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            return await ids.ExecuteScalarAsync(ct);
        }
        finally
        {
            // The same command carries the next statement around the same SQL.
            ids.CommandText = sql;
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Rows strictly after the cursor in <paramref name="sort"/> order: a row comparison on PostgreSQL, which the index seeks to.</summary>
    private static IQueryable<Student> After(BaoxueDb db, IQueryable<Student> q, StudentSort sort, Cursor c)
    {
        var (path, key, id, grade, status) = (c.Path, c.NameKey, c.Id, c.Grade, c.Status);
        if (db.Database.IsNpgsql())
        {
            return sort switch
            {
                StudentSort.Name => q.Where(s => EF.Functions.GreaterThan(ValueTuple.Create(s.NameKey, s.Id), ValueTuple.Create(key, id))),
                StudentSort.Grade => q.Where(s => EF.Functions.GreaterThan(ValueTuple.Create(s.Grade, s.Path, s.NameKey, s.Id), ValueTuple.Create(grade, path, key, id))),
                StudentSort.Status => q.Where(s => EF.Functions.GreaterThan(ValueTuple.Create(s.Status, s.Path, s.NameKey, s.Id), ValueTuple.Create(status, path, key, id))),
                _ => q.Where(s => EF.Functions.GreaterThan(ValueTuple.Create(s.Path, s.NameKey, s.Id), ValueTuple.Create(path, key, id))),
            };
        }
        // SQLite has no row values in EF: the same order spelled out, with a leading ">=" so that it seeks the index.
        return sort switch
        {
            StudentSort.Name => q.Where(s => string.Compare(s.NameKey, key) >= 0
                && (string.Compare(s.NameKey, key) > 0 || s.Id.CompareTo(id) > 0)),
            StudentSort.Grade => q.Where(s => s.Grade >= grade
                && (s.Grade > grade || string.Compare(s.Path, path) > 0 || (s.Path == path && (string.Compare(s.NameKey, key) > 0 || (s.NameKey == key && s.Id.CompareTo(id) > 0))))),
            StudentSort.Status => q.Where(s => s.Status >= status
                && (s.Status > status || string.Compare(s.Path, path) > 0 || (s.Path == path && (string.Compare(s.NameKey, key) > 0 || (s.NameKey == key && s.Id.CompareTo(id) > 0))))),
            _ => q.Where(s => string.Compare(s.Path, path) >= 0
                && (string.Compare(s.Path, path) > 0 || string.Compare(s.NameKey, key) > 0 || (s.NameKey == key && s.Id.CompareTo(id) > 0))),
        };
    }

    /// <summary>The seek position: the sort values of the last row shown. Opaque to clients (base64url), checked when read.</summary>
    internal sealed record Cursor(StudentSort Sort, string Path, string NameKey, Guid Id, int Grade, StudentStatus Status)
    {
        public static string Write(StudentSort sort, StudentRow row, string path, string nameKey) =>
            Base64Url(string.Join('|', (int)sort, path, nameKey, row.Id.ToString("N"), row.Grade.ToString(CultureInfo.InvariantCulture), ((int)row.Status).ToString(CultureInfo.InvariantCulture)));

        /// <summary>The cursor, or null when it is not one this list wrote for this order.</summary>
        public static Cursor? Read(string text, StudentSort sort)
        {
            try
            {
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - text.Length % 4) % 4))).Split('|');
                if (parts.Length != 6 || parts[0] != ((int)sort).ToString(CultureInfo.InvariantCulture)
                    || !Guid.TryParseExact(parts[3], "N", out var id)
                    || !int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var grade)
                    || !int.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
                {
                    return null;
                }
                return new Cursor(sort, parts[1], parts[2], id, grade, (StudentStatus)status);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private static string Base64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// The list's query string as the page, the export link and the API share it. Every value is optional and an empty
    /// one means "not chosen" (a form sends <c>status=</c> for 全部状态); a value that is not empty and not understood
    /// is refused with the field named.
    /// </summary>
    public sealed class Query
    {
        [FromQuery(Name = "q")] public string? Q { get; set; }
        [FromQuery(Name = "township")] public string? Township { get; set; }
        /// <summary>A county's or city's division id (the figures' drill-down above the township).</summary>
        [FromQuery(Name = "division")] public string? Division { get; set; }
        [FromQuery(Name = "school")] public string? School { get; set; }
        /// <summary>Older name of <c>school</c>, still read.</summary>
        [FromQuery(Name = "schoolId")] public string? SchoolId { get; set; }
        [FromQuery(Name = "class")] public string? Class { get; set; }
        /// <summary>Older name of <c>class</c>, still read.</summary>
        [FromQuery(Name = "classId")] public string? ClassId { get; set; }
        [FromQuery(Name = "grade")] public string? Grade { get; set; }
        [FromQuery(Name = "status")] public string? Status { get; set; }
        [FromQuery(Name = "group")] public string? Group { get; set; }
        /// <summary>残疾类别 of an active Disabled tag (视力, 听力, 智力 …).</summary>
        [FromQuery(Name = "disability")] public string? Disability { get; set; }
        /// <summary>school (default), name, grade or status.</summary>
        [FromQuery(Name = "sort")] public string? Sort { get; set; }
        [FromQuery(Name = "page")] public string? Page { get; set; }
        /// <summary>1–200, default 50.</summary>
        [FromQuery(Name = "pageSize")] public string? PageSize { get; set; }
        /// <summary>The <c>next</c> link's seek cursor, for deep pages.</summary>
        [FromQuery(Name = "after")] public string? After { get; set; }

        /// <summary>The filter and page asked for, and what could not be read (empty when all is well).</summary>
        public (Filter Filter, Paging Paging, List<FieldError> Errors) Read()
        {
            var errors = new List<FieldError>();
            var township = Id("township", Township, errors);
            var division = Id("division", Division, errors);
            var school = Id("school", School, errors) ?? Id("schoolId", SchoolId, errors);
            var cls = Id("class", Class, errors) ?? Id("classId", ClassId, errors);
            var grade = Number("grade", Grade, 1, 9, errors);
            var status = Named<StudentStatus>("status", Status, errors);
            var group = Named<GroupKind>("group", Group, errors);
            var sort = Named<StudentSort>("sort", Sort, errors);
            var page = Number("page", Page, 1, MaxPage, errors) ?? 1;
            var size = Number("pageSize", PageSize, 1, MaxPageSize, errors) ?? DefaultPageSize;
            var q = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();
            if (q is { Length: > 64 })
            {
                errors.Add(new FieldError("q", "StudentList.TooLong", "Field.StudentList.Search", 64));
            }
            var disability = string.IsNullOrWhiteSpace(Disability) ? null : Disability.Trim();
            if (disability is { Length: > 16 })
            {
                errors.Add(new FieldError("disability", "StudentList.TooLong", "Field.StudentList.Disability", 16));
            }
            var filter = new Filter(q, school, cls, grade, status, group, township, sort, disability, division);
            var after = string.IsNullOrWhiteSpace(After) ? null : After.Trim();
            if (after is not null && Cursor.Read(after, filter.Order) is null)
            {
                errors.Add(new FieldError("after", "StudentList.BadCursor"));
            }
            return (filter, new Paging(page, size, after), errors);
        }

        /// <summary>Whether a cursor was written for this filter's order (a stale one, after the order changed, is ignored by the page).</summary>
        public static bool IsCursorFor(string after, Filter f) => Cursor.Read(after, f.Order) is not null;

        /// <summary>The query string of this filter (no page), for links that keep it: sorting, paging, export.</summary>
        public static string Of(Filter f, bool withSort = true)
        {
            var parts = new List<string>();
            void Add(string name, object? value)
            {
                if (value is not null && value.ToString() is { Length: > 0 } text)
                {
                    parts.Add(name + "=" + Uri.EscapeDataString(text));
                }
            }
            Add("q", f.Q);
            Add("township", f.TownshipId);
            Add("division", f.DivisionId);
            Add("school", f.SchoolId);
            Add("class", f.ClassId);
            Add("grade", f.Grade);
            Add("status", f.Status);
            Add("group", f.Group);
            Add("disability", f.Disability);
            if (withSort && f.Sort is { } sort)
            {
                Add("sort", sort.ToString().ToLowerInvariant());
            }
            return string.Join('&', parts);
        }

        private static string Label(string field) => field switch
        {
            "township" => "Field.StudentList.Township",
            "division" => "Field.StudentList.Division",
            "school" or "schoolId" => "Field.StudentList.School",
            "class" or "classId" => "Field.StudentList.Class",
            "grade" => "Field.StudentList.Grade",
            "status" => "Field.StudentList.Status",
            "group" => "Field.StudentList.Group",
            "sort" => "Field.StudentList.Sort",
            "page" => "Field.StudentList.Page",
            _ => "Field.StudentList.PageSize",
        };

        private static Guid? Id(string field, string? raw, List<FieldError> errors)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                return null;
            }
            if (Guid.TryParse(raw.Trim(), out var id))
            {
                return id;
            }
            errors.Add(new FieldError(field, "StudentList.BadValue", Label(field), raw));
            return null;
        }

        private static int? Number(string field, string? raw, int min, int max, List<FieldError> errors)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                return null;
            }
            if (int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            {
                return n;
            }
            errors.Add(new FieldError(field, "StudentList.OutOfRange", Label(field), min, Infrastructure.Localization.ChineseFormat.Number(max)));
            return null;
        }

        private static T? Named<T>(string field, string? raw, List<FieldError> errors) where T : struct, Enum
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                return null;
            }
            // Names only ("InSchool", "insChool"), never numbers: "7" is not a status anyone chose.
            if (!raw.Trim().All(char.IsAsciiDigit) && Enum.TryParse<T>(raw.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value))
            {
                return value;
            }
            errors.Add(new FieldError(field, "StudentList.BadValue", Label(field), raw));
            return null;
        }
    }
}

/// <summary>Shows a student's full ID number and guardians' phones to a user allowed to see them, and records that they did.</summary>
public static class RevealStudent
{
    public sealed record Revealed(string? IdNumber, IReadOnlyList<Guardian> Guardians);

    public static async Task<Revealed?> HandleAsync(BaoxueDb db, PersonalData personal, Guid id, CancellationToken ct = default)
    {
        var student = await db.Students.AsNoTracking().Include(s => s.Guardians).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (student is null)
        {
            return null;
        }
        db.Audit(AuditAction.Reveal, nameof(Student), student.Id.ToString(), student.Path, "{\"fields\":[\"IdNumber\",\"GuardianPhones\"]}");
        await db.SaveChangesAsync(ct);
        return new Revealed(student.IdNumberCipher is null ? null : personal.Decrypt(student.IdNumberCipher), student.Guardians);
    }
}

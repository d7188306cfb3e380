using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Security;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Registry;

/// <summary>Students over HTTP: the same use cases as the pages, IDs and phones masked unless revealed.</summary>
public static class RegistryApi
{
    public sealed record GuardianDto(GuardianRelation Relation, string Name, string? Phone, bool WorksAway);
    public sealed record TagDto(GroupKind Kind, string? DisabilityType, int? DisabilityGrade, string? Source, DateOnly StartedOn);
    public sealed record StudentDto(
        Guid Id, string RegistryNumber, string? IdNumberMasked, string Name, Gender Gender, DateOnly? BirthDate, string BirthMonth, string Ethnicity,
        string? HouseholdRegionCode, string? HouseholdAddress, HouseholdType? HouseholdType, string? Residence,
        Guid SchoolId, Guid? ClassId, int Grade, StudentStatus Status, DateOnly? EnrolledOn, IReadOnlyList<GuardianDto> Guardians, IReadOnlyList<TagDto> Tags);
    public sealed record RevealedDto(string? IdNumber, IReadOnlyList<GuardianDto> Guardians);

    /// <summary>A record as the user may see it: ID and birth date as <see cref="IdDisclosure"/> allows, phones masked.</summary>
    public static StudentDto ToDto(Student s, IdDisclosure disclosure) => new(
        s.Id, disclosure.RegistryNumber(s.RegistryNumber), disclosure.IdNumber(s.IdNumberMasked), s.Name, s.Gender, disclosure.BirthDate(s.BirthDate), IdDisclosure.BirthMonth(s.BirthDate), s.Ethnicity, s.HouseholdRegionCode, s.HouseholdAddress, s.HouseholdType, s.Residence,
        s.SchoolId, s.ClassId, s.Grade, s.Status, s.EnrolledOn,
        [.. s.Guardians.Select(g => new GuardianDto(g.Relation, g.Name, g.Phone is null ? null : PhoneNumber.Mask(g.Phone), g.WorksAway))],
        [.. s.Tags.Where(t => t.EndedOn is null).Select(t => new TagDto(t.Kind, t.DisabilityType, t.DisabilityGrade, t.Source, t.StartedOn))]);

    /// <summary>As many as an Excel sheet holds below the title and header rows.</summary>
    public const int MaxExportRows = XlsxWriter.MaxRows - 2;

    public static void MapRegistryApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/students").WithTags("Registry");
        api.MapGet("/", async ([AsParameters] StudentQueries.Query q, HttpContext http, BaoxueDb db, PersonalData personal, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            var (filter, paging, errors) = q.Read();
            if (errors.Count > 0)
            {
                return Problem(errors, text);
            }
            var self = http.Request.PathBase + http.Request.Path;
            var query = StudentQueries.Query.Of(filter);
            return Results.Ok(await StudentQueries.ListAsync(db, personal, filter, paging,
                p => $"{self}?{query}{(query.Length > 0 ? "&" : "")}page={p.Page}&pageSize={p.PageSize}&after={p.After}", ct));
        })
            .Produces<PagedResult<StudentQueries.StudentRow>>()
            .ProducesValidationProblem()
            .WithDescription("学生名单（分页）：items、total（超过 50,000 时为估计值，totalIsEstimate = true）、page、pageSize、next（下一页地址，使用 after 游标）。")
            .RequireAuthorization(Permission.RegistryView)
            .WithName("Registry_ListStudents").WithSummary("List students (paged)");
        api.MapGet("/{id:guid}", async (Guid id, BaoxueDb db, CancellationToken ct) =>
            await db.Students.AsNoTracking().Include(s => s.Guardians).Include(s => s.Tags).FirstOrDefaultAsync(s => s.Id == id, ct) is { } s ? Results.Ok(ToDto(s, db.Disclosure)) : Results.NotFound())
            .RequireAuthorization(Permission.RegistryView)
            .WithName("Registry_GetStudent").WithSummary("Read a student's record");
        api.MapPost("/", async (SaveStudent.Command c, BaoxueDb db, PersonalData personal, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SaveStudent.HandleAsync(db, personal, c with { Id = null }, ct), text, s => ToDto(s, db.Disclosure)))
            .RequireAuthorization(Permission.RegistryEdit)
            .WithName("Registry_CreateStudent").WithSummary("Add a student");
        api.MapPut("/{id:guid}", async (Guid id, SaveStudent.Command c, BaoxueDb db, PersonalData personal, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SaveStudent.HandleAsync(db, personal, c with { Id = id }, ct), text, s => ToDto(s, db.Disclosure)))
            .RequireAuthorization(Permission.RegistryEdit)
            .WithName("Registry_UpdateStudent").WithSummary("Update a student's record");
        api.MapPost("/{id:guid}/reveal", async (Guid id, BaoxueDb db, PersonalData personal, CancellationToken ct) =>
            await RevealStudent.HandleAsync(db, personal, id, ct) is { } r
                ? Results.Ok(new RevealedDto(r.IdNumber, [.. r.Guardians.Select(g => new GuardianDto(g.Relation, g.Name, g.Phone, g.WorksAway))]))
                : Results.NotFound())
            .RequireAuthorization(Permission.RegistryReveal)
            .WithName("Registry_RevealStudent").WithSummary("Reveal a student's ID number and guardians' phones (audited)");
        api.MapGet("/export", ([AsParameters] StudentQueries.Query q, BaoxueDb db, PersonalData personal, IStringLocalizer<Strings> text) =>
        {
            var (filter, _, errors) = q.Read();
            return errors.Count > 0 ? Problem(errors, text) : Export(db, personal, filter, text);
        })
            .RequireAuthorization(Permission.RegistryView)
            .WithName("Registry_ExportStudents").WithSummary("Export the student list (Excel)");
    }

    private static IResult Problem(List<FieldError> errors, IStringLocalizer<Strings> text) =>
        Results.ValidationProblem(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => text.Explain(e.Key, e.Args)).ToArray()), title: text["Validation.Title"]);

    /// <summary>
    /// Any list of students as xlsx, IDs masked, streamed from the query to the response; the export is audited with
    /// its filter and the number of rows sent.
    /// </summary>
    public static XlsxDownload Export(BaoxueDb db, PersonalData personal, StudentQueries.Filter filter, IStringLocalizer<Strings> text)
    {
        var rows = StudentQueries.Rows(db, personal, filter).Take(MaxExportRows).AsAsyncEnumerable()
            .Select(r => (IReadOnlyList<string?>)[r.RegistryNumber, r.Name, text["Gender." + r.Gender], r.BirthDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? r.BirthMonth, Ethnicities.Name(r.Ethnicity, text), r.IdNumberMasked, r.School,
                r.ClassNumber is { } n ? ChineseFormat.ClassName(r.Grade, n) : ChineseFormat.Grade(r.Grade), text["StudentStatus." + r.Status]]);
        return new XlsxDownload(text["Export.StudentsFile"], text["Export.StudentsFile"],
            [new(text["Student.RegistryNumber"], 22), new(text["Student.Name"], 12), new(text["Student.Gender"], 8), new(text["Student.BirthDate"], 12), new(text["Student.Ethnicity"], 10),
             new(text["Student.IdNumber"], 22), new(text["Student.School"], 30), new(text["Student.Class"], 16), new(text["Student.Status"], 10)],
            rows,
            async (count, ct) =>
            {
                db.Audit(AuditAction.Export, nameof(Student), null, null, System.Text.Json.JsonSerializer.Serialize(new { filter.Q, filter.TownshipId, filter.SchoolId, filter.ClassId, filter.Grade, filter.Status, filter.Group, rows = count }));
                await db.SaveChangesAsync(ct);
            });
    }
}

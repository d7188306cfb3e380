using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
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
        Guid Id, string RegistryNumber, string? IdNumberMasked, string Name, Gender Gender, DateOnly BirthDate, string Ethnicity,
        string? HouseholdRegionCode, string? HouseholdAddress, HouseholdType? HouseholdType, string? Residence,
        Guid SchoolId, Guid? ClassId, int Grade, StudentStatus Status, DateOnly? EnrolledOn, IReadOnlyList<GuardianDto> Guardians, IReadOnlyList<TagDto> Tags);
    public sealed record RevealedDto(string? IdNumber, IReadOnlyList<GuardianDto> Guardians);

    public static StudentDto ToDto(Student s) => new(
        s.Id, s.RegistryNumber, s.IdNumberMasked, s.Name, s.Gender, s.BirthDate, s.Ethnicity, s.HouseholdRegionCode, s.HouseholdAddress, s.HouseholdType, s.Residence,
        s.SchoolId, s.ClassId, s.Grade, s.Status, s.EnrolledOn,
        [.. s.Guardians.Select(g => new GuardianDto(g.Relation, g.Name, g.Phone is null ? null : PhoneNumber.Mask(g.Phone), g.WorksAway))],
        [.. s.Tags.Where(t => t.EndedOn is null).Select(t => new TagDto(t.Kind, t.DisabilityType, t.DisabilityGrade, t.Source, t.StartedOn))]);

    public sealed class FilterQuery
    {
        public string? Q { get; set; }
        public Guid? SchoolId { get; set; }
        public Guid? ClassId { get; set; }
        public int? Grade { get; set; }
        public StudentStatus? Status { get; set; }
        public GroupKind? Group { get; set; }
        public int? Page { get; set; }

        public StudentQueries.Filter ToFilter() => new(Q, SchoolId, ClassId, Grade, Status, Group, Page ?? 1);
    }

    public const int MaxExportRows = 200_000;

    public static void MapRegistryApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/students").WithTags("Registry");
        api.MapGet("/", async ([AsParameters] FilterQuery q, BaoxueDb db, PersonalData personal, CancellationToken ct) =>
            await StudentQueries.PageAsync(db, personal, q.ToFilter(), ct))
            .RequireAuthorization(Permission.RegistryView);
        api.MapGet("/{id:guid}", async (Guid id, BaoxueDb db, CancellationToken ct) =>
            await db.Students.AsNoTracking().Include(s => s.Guardians).Include(s => s.Tags).FirstOrDefaultAsync(s => s.Id == id, ct) is { } s ? Results.Ok(ToDto(s)) : Results.NotFound())
            .RequireAuthorization(Permission.RegistryView);
        api.MapPost("/", async (SaveStudent.Command c, BaoxueDb db, PersonalData personal, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SaveStudent.HandleAsync(db, personal, c with { Id = null }, ct), text, s => ToDto(s)))
            .RequireAuthorization(Permission.RegistryEdit);
        api.MapPut("/{id:guid}", async (Guid id, SaveStudent.Command c, BaoxueDb db, PersonalData personal, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SaveStudent.HandleAsync(db, personal, c with { Id = id }, ct), text, s => ToDto(s)))
            .RequireAuthorization(Permission.RegistryEdit);
        api.MapPost("/{id:guid}/reveal", async (Guid id, BaoxueDb db, PersonalData personal, CancellationToken ct) =>
            await RevealStudent.HandleAsync(db, personal, id, ct) is { } r
                ? Results.Ok(new RevealedDto(r.IdNumber, [.. r.Guardians.Select(g => new GuardianDto(g.Relation, g.Name, g.Phone, g.WorksAway))]))
                : Results.NotFound())
            .RequireAuthorization(Permission.RegistryReveal);
        api.MapGet("/export", async ([AsParameters] FilterQuery q, BaoxueDb db, PersonalData personal, IStringLocalizer<Strings> text, CancellationToken ct) =>
            Results.File(await ExportAsync(db, personal, q.ToFilter(), text, ct), Organisation.OrganisationApi.XlsxType, text["Export.StudentsFile"] + ".xlsx"))
            .RequireAuthorization(Permission.RegistryView);
    }

    /// <summary>Any list of students as xlsx, IDs masked; the export itself is audited with its filter and row count.</summary>
    public static async Task<byte[]> ExportAsync(BaoxueDb db, PersonalData personal, StudentQueries.Filter filter, IStringLocalizer<Strings> text, CancellationToken ct)
    {
        var rows = await StudentQueries.Rows(StudentQueries.Apply(db, personal, filter)).Take(MaxExportRows).ToListAsync(ct);
        db.Audit(AuditAction.Export, nameof(Student), null, null, System.Text.Json.JsonSerializer.Serialize(new { filter.Q, filter.SchoolId, filter.Status, filter.Group, rows = rows.Count }));
        await db.SaveChangesAsync(ct);
        return XlsxWriter.Build(text["Students.Title"],
            [text["Student.RegistryNumber"], text["Student.Name"], text["Student.Gender"], text["Student.BirthDate"], text["Student.Ethnicity"], text["Student.IdNumber"], text["Student.School"], text["Student.Class"], text["Student.Status"]],
            rows.Select(r => (IReadOnlyList<string?>)[r.RegistryNumber, r.Name, text["Gender." + r.Gender], r.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Ethnicities.Name(r.Ethnicity, text), r.IdNumberMasked, r.School,
                r.ClassNumber is { } n ? ChineseFormat.ClassName(r.Grade, n) : ChineseFormat.Grade(r.Grade), text["StudentStatus." + r.Status]]));
    }
}

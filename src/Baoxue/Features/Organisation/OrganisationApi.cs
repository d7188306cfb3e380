using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Organisation.Classes;
using Baoxue.Features.Organisation.Departments;
using Baoxue.Features.Organisation.Divisions;
using Baoxue.Features.Organisation.People;
using Baoxue.Features.Organisation.Schools;
using Baoxue.Features.Organisation.SchoolYears;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Imports;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Organisation;

/// <summary>The hierarchy over HTTP: the same use cases the pages call, under /api/v1.</summary>
public static class OrganisationApi
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public sealed record DivisionDto(Guid Id, string Code, string Name, DivisionLevel Level, Guid? ParentId, string? Kind);
    public sealed record SchoolDto(Guid Id, string Code, string Name, SchoolKind Kind, Guid TownshipId, Guid? VillageId, string? Address, string? HeadName, string? Phone, Guid? CentralSchoolId, bool IsActive);
    public sealed record ClassDto(Guid Id, Guid SchoolId, Guid SchoolYearId, int Grade, int Number, string Name, Guid? HeadTeacherId, int? Capacity);
    public sealed record TermDto(Guid Id, int Number, DateOnly StartDate, DateOnly EndDate);
    public sealed record SchoolYearDto(Guid Id, int StartYear, string Name, bool IsCurrent, IReadOnlyList<TermDto> Terms);
    /// <summary>A person; ClassIds (classes taught) and AccountId (their sign-in account) are given for one person, not in lists.</summary>
    public sealed record StaffDto(Guid Id, string Name, string Post, string? Phone, Guid? SchoolId, Guid? DepartmentId, Guid? DivisionId, bool IsActive,
        bool SeesWholeSchool = false, IReadOnlyList<Guid>? ClassIds = null, Guid? AccountId = null);
    public sealed record DepartmentDto(Guid Id, string Code, string Name, DepartmentKind Kind, string? Duties);
    public sealed record NewSchoolYear(int StartYear);
    public sealed record TermDates(DateOnly StartDate, DateOnly EndDate);
    public sealed record ImportProblemDto(int Row, string Column, string Value, string Reason);
    public sealed record ImportResultDto(bool Succeeded, int RowsRead, int Created, int Updated, IReadOnlyList<ImportProblemDto> Problems);

    private static DivisionDto ToDto(Division d) => new(d.Id, d.Code, d.Name, d.Level, d.ParentId, d.Kind);
    private static SchoolDto ToDto(School s) => new(s.Id, s.Code, s.Name, s.Kind, s.TownshipId, s.VillageId, s.Address, s.HeadName, s.Phone, s.CentralSchoolId, s.IsActive);
    private static ClassDto ToDto(SchoolClass c) => new(c.Id, c.SchoolId, c.SchoolYearId, c.Grade, c.Number, ChineseFormat.ClassName(c), c.HeadTeacherId, c.Capacity);
    private static SchoolYearDto ToDto(SchoolYear y) => new(y.Id, y.StartYear, ChineseFormat.SchoolYear(y.StartYear), y.IsCurrent, [.. y.Terms.OrderBy(t => t.Number).Select(t => new TermDto(t.Id, t.Number, t.StartDate, t.EndDate))]);
    private static StaffDto ToDto(Domain.Staff s) => new(s.Id, s.Name, s.Post, s.Phone is null ? null : PhoneNumber.Mask(s.Phone), s.SchoolId, s.DepartmentId, s.DivisionId, s.IsActive, s.SeesWholeSchool);

    private static async Task<StaffDto> OneAsync(BaoxueDb db, Domain.Staff s, CancellationToken ct) => ToDto(s) with
    {
        ClassIds = await db.TeachingAssignments.Where(a => a.StaffId == s.Id).Select(a => a.ClassId).ToListAsync(ct),
        AccountId = await db.Users.Where(u => u.StaffId == s.Id).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct),
    };
    private static DepartmentDto ToDto(Department d) => new(d.Id, d.Code, d.Name, d.Kind, d.Duties);

    public static void MapOrganisationApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Organisation");

        api.MapGet("/divisions", (BaoxueDb db, Guid? parentId, PageRequest page, CancellationToken ct) =>
            DivisionQueries.PageAsync(db, parentId, page, ct))
            .RequireAuthorization(Permission.OrgView).Paged()
            .WithName("Organisation_ListDivisions").WithSummary("List divisions (paged)");
        api.MapGet("/divisions/{id:guid}", async (BaoxueDb db, Guid id, CancellationToken ct) =>
            await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) is { } d ? Results.Ok(ToDto(d)) : Results.NotFound())
            .RequireAuthorization(Permission.OrgView)
            .WithName("Organisation_GetDivision").WithSummary("Read a division");
        api.MapPost("/divisions", async (SaveDivision.Command c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SaveDivision.HandleAsync(db, c with { Id = null }, ct), text, d => ToDto(d)))
            .RequireAuthorization(Permission.DivisionsEdit)
            .WithName("Organisation_CreateDivision").WithSummary("Add a division");
        api.MapPut("/divisions/{id:guid}", async (Guid id, SaveDivision.Command c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SaveDivision.HandleAsync(db, c with { Id = id }, ct), text, d => ToDto(d)))
            .RequireAuthorization(Permission.DivisionsEdit)
            .WithName("Organisation_UpdateDivision").WithSummary("Update a division");

        api.MapGet("/schools", ([AsParameters] SchoolFilter f, PageRequest page, BaoxueDb db, CancellationToken ct) =>
            SchoolQueries.PageAsync(db, f.ToFilter(), page, ct))
            .RequireAuthorization(Permission.OrgView).Paged()
            .WithName("Organisation_ListSchools").WithSummary("List schools (paged)");
        api.MapGet("/schools/{id:guid}", async (BaoxueDb db, Guid id, CancellationToken ct) =>
            await db.Schools.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is { } s ? Results.Ok(ToDto(s)) : Results.NotFound())
            .RequireAuthorization(Permission.OrgView)
            .WithName("Organisation_GetSchool").WithSummary("Read a school");
        api.MapPost("/schools", async (SaveSchool.Command c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SaveSchool.HandleAsync(db, c with { Id = null }, ct), text, s => ToDto(s)))
            .RequireAuthorization(Permission.SchoolsEdit)
            .WithName("Organisation_CreateSchool").WithSummary("Add a school");
        api.MapPut("/schools/{id:guid}", async (Guid id, SaveSchool.Command c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SaveSchool.HandleAsync(db, c with { Id = id }, ct), text, s => ToDto(s)))
            .RequireAuthorization(Permission.SchoolsEdit)
            .WithName("Organisation_UpdateSchool").WithSummary("Update a school");
        api.MapGet("/schools/export", ([AsParameters] SchoolFilter f, BaoxueDb db, IStringLocalizer<Strings> text) => SchoolSheet.Export(db, text, f.ToFilter()))
            .RequireAuthorization(Permission.OrgView)
            .WithName("Organisation_ExportSchools").WithSummary("Export schools (Excel)");
        api.MapPost("/schools/import", async (IFormFile file, BaoxueDb db, TextTable table, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ImportResult(await SchoolSheet.ImportAsync(db, table, file.OpenReadStream(), file.FileName, ct), text))
            .RequireAuthorization(Permission.SchoolsEdit).DisableAntiforgery().RequireRateLimiting(Accounts.AccountsSetup.ImportLimit)
            .Produces<ImportResultDto>().Produces<ImportResultDto>(StatusCodes.Status422UnprocessableEntity)
            .WithName("Organisation_ImportSchools").WithSummary("Import schools from a spreadsheet");

        api.MapGet("/classes", (BaoxueDb db, Guid? schoolId, Guid? schoolYearId, PageRequest page, CancellationToken ct) =>
            ClassQueries.PageAsync(db, new(schoolId, schoolYearId), page, ct))
            .RequireAuthorization(Permission.OrgView).Paged()
            .WithName("Organisation_ListClasses").WithSummary("List classes (paged)");
        api.MapGet("/classes/{id:guid}", async (BaoxueDb db, Guid id, CancellationToken ct) =>
            await db.Classes.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } c ? Results.Ok(ToDto(c)) : Results.NotFound())
            .RequireAuthorization(Permission.OrgView)
            .WithName("Organisation_GetClass").WithSummary("Read a class");
        api.MapPost("/classes", async (SaveClass.Command c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SaveClass.HandleAsync(db, c with { Id = null }, ct), text, x => ToDto(x)))
            .RequireAuthorization(Permission.ClassesEdit)
            .WithName("Organisation_CreateClass").WithSummary("Add a class");
        api.MapPut("/classes/{id:guid}", async (Guid id, SaveClass.Command c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SaveClass.HandleAsync(db, c with { Id = id }, ct), text, x => ToDto(x)))
            .RequireAuthorization(Permission.ClassesEdit)
            .WithName("Organisation_UpdateClass").WithSummary("Update a class");
        api.MapGet("/classes/export", (BaoxueDb db, IStringLocalizer<Strings> text, Guid? schoolId, Guid? schoolYearId) => ClassSheet.Export(db, text, new(schoolId, schoolYearId)))
            .RequireAuthorization(Permission.OrgView)
            .WithName("Organisation_ExportClasses").WithSummary("Export classes (Excel)");
        api.MapPost("/classes/import", async (IFormFile file, BaoxueDb db, TextTable table, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ImportResult(await ClassSheet.ImportAsync(db, table, file.OpenReadStream(), file.FileName, ct), text))
            .RequireAuthorization(Permission.ClassesEdit).DisableAntiforgery().RequireRateLimiting(Accounts.AccountsSetup.ImportLimit)
            .Produces<ImportResultDto>().Produces<ImportResultDto>(StatusCodes.Status422UnprocessableEntity)
            .WithName("Organisation_ImportClasses").WithSummary("Import classes from a spreadsheet");

        api.MapGet("/school-years", async (PageRequest page, BaoxueDb db, CancellationToken ct) =>
            page.Of<SchoolYearDto>([.. (await SchoolYearQueries.ListAsync(db, ct)).Select(ToDto)]))
            .RequireAuthorization(Permission.OrgView).Paged()
            .WithName("Organisation_ListSchoolYears").WithSummary("List school years (paged)");
        api.MapPost("/school-years", async (NewSchoolYear body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SchoolYearCommands.CreateAsync(db, body.StartYear, ct), text, y => ToDto(y)))
            .RequireAuthorization(Permission.SchoolYearsEdit)
            .WithName("Organisation_CreateSchoolYear").WithSummary("Add a school year");
        api.MapPost("/school-years/{id:guid}/current", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SchoolYearCommands.MakeCurrentAsync(db, id, ct), text, y => ToDto(y)))
            .RequireAuthorization(Permission.SchoolYearsEdit)
            .WithName("Organisation_SetCurrentSchoolYear").WithSummary("Make a school year the current one");
        api.MapPut("/terms/{id:guid}", async (Guid id, TermDates body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SchoolYearCommands.SetTermDatesAsync(db, id, body.StartDate, body.EndDate, ct), text, t => new TermDto(t.Id, t.Number, t.StartDate, t.EndDate)))
            .RequireAuthorization(Permission.SchoolYearsEdit)
            .WithName("Organisation_UpdateTerm").WithSummary("Update a term's dates");

        api.MapGet("/staff", (BaoxueDb db, string? q, Guid? unitId, string? sort, bool? includeInactive, PageRequest page, CancellationToken ct) =>
            StaffQueries.PageAsync(db, new(q, unitId, sort, includeInactive ?? false), page, ct))
            .RequireAuthorization(Permission.StaffView).Paged()
            .WithName("Organisation_ListStaff").WithSummary("List staff (paged)");
        api.MapGet("/staff/{id:guid}", async (BaoxueDb db, Guid id, CancellationToken ct) =>
            await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is { } s ? Results.Ok(await OneAsync(db, s, ct)) : Results.NotFound())
            .RequireAuthorization(Permission.StaffView)
            .WithName("Organisation_GetStaff").WithSummary("Read a staff member");
        api.MapPost("/staff", async (SaveStaff.Command c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            var outcome = await SaveStaff.HandleAsync(db, c with { Id = null }, ct);
            var saved = outcome.Succeeded ? await OneAsync(db, outcome.Value!, ct) : null;
            return ApiResults.From(outcome, text, _ => saved!);
        })
            .RequireAuthorization(Permission.StaffEdit)
            .WithName("Organisation_CreateStaff").WithSummary("Add a staff member");
        api.MapPut("/staff/{id:guid}", async (Guid id, SaveStaff.Command c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            var outcome = await SaveStaff.HandleAsync(db, c with { Id = id }, ct);
            var saved = outcome.Succeeded ? await OneAsync(db, outcome.Value!, ct) : null;
            return ApiResults.From(outcome, text, _ => saved!);
        })
            .RequireAuthorization(Permission.StaffEdit)
            .WithName("Organisation_UpdateStaff").WithSummary("Update a staff member");

        api.MapGet("/departments", (BaoxueDb db, PageRequest page, CancellationToken ct) =>
            DepartmentQueries.PageAsync(db, page, ct))
            .RequireAuthorization(Permission.DepartmentsView).Paged()
            .WithName("Organisation_ListDepartments").WithSummary("List member departments (paged)");
        api.MapGet("/departments/{id:guid}", async (BaoxueDb db, Guid id, CancellationToken ct) =>
            await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) is { } d ? Results.Ok(ToDto(d)) : Results.NotFound())
            .RequireAuthorization(Permission.DepartmentsView)
            .WithName("Organisation_GetDepartment").WithSummary("Read a member department");
        api.MapPost("/departments", async (SaveDepartment.Command c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SaveDepartment.HandleAsync(db, c with { Id = null }, ct), text, d => ToDto(d)))
            .RequireAuthorization(Permission.DepartmentsEdit)
            .WithName("Organisation_CreateDepartment").WithSummary("Add a member department");
        api.MapPut("/departments/{id:guid}", async (Guid id, SaveDepartment.Command c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await SaveDepartment.HandleAsync(db, c with { Id = id }, ct), text, d => ToDto(d)))
            .RequireAuthorization(Permission.DepartmentsEdit)
            .WithName("Organisation_UpdateDepartment").WithSummary("Update a member department");
    }

    /// <summary>The school list's filter as the list, its API and its export take it.</summary>
    public sealed class SchoolFilter
    {
        public string? Q { get; set; }
        public Guid? TownshipId { get; set; }
        public SchoolKind? Kind { get; set; }
        /// <summary>code (default), name, classes, students; "-" before it reverses.</summary>
        public string? Sort { get; set; }

        public SchoolQueries.Filter ToFilter() => new(Q, TownshipId, Kind, Sort);
    }

    /// <summary>200 with the counts when the import landed; 422 with every problem when it was refused and nothing changed.</summary>
    public static IResult ImportResult(ImportReport report, IStringLocalizer<Strings> text)
    {
        var dto = new ImportResultDto(report.Succeeded, report.RowsRead, report.Created, report.Updated,
            [.. report.Problems.OrderBy(p => p.Row).Select(p => new ImportProblemDto(p.Row, p.Column, p.Value, text[p.ReasonKey, p.Args]))]);
        return report.Succeeded ? Results.Ok(dto) : Results.UnprocessableEntity(dto);
    }
}

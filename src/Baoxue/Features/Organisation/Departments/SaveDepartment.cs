using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.Departments;

/// <summary>Add a member department of the county's leading group, or change its name and written duties.</summary>
public static class SaveDepartment
{
    public sealed record Command(Guid? Id, string Code, string Name, DepartmentKind Kind, string? Duties);

    public static async Task<Outcome<Department>> HandleAsync(BaoxueDb db, Command c, CancellationToken ct = default)
    {
        var errors = new List<FieldError>();
        var code = c.Code?.Trim() ?? "";
        if (code.Length is 0 or > 16 || !code.All(char.IsAsciiLetterOrDigit))
        {
            errors.Add(new FieldError(nameof(c.Code), "Department.CodeRule"));
        }
        if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Trim().Length > 64)
        {
            errors.Add(new FieldError(nameof(c.Name), "Validation.Required", "Field.Name"));
        }
        if ((c.Duties?.Length ?? 0) > 2000)
        {
            errors.Add(new FieldError(nameof(c.Duties), "Validation.TooLong", 2000));
        }
        Department? department = null;
        if (c.Id is { } id)
        {
            department = await db.Departments.FirstOrDefaultAsync(d => d.Id == id, ct);
            if (department is null)
            {
                return Outcome<Department>.Missing();
            }
            if (department.Code != code)
            {
                errors.Add(new FieldError(nameof(c.Code), "Department.CodeFixed"));
            }
        }
        // The department belongs to the acting user's county, never simply the first county of the deployment (decision 0026).
        var countyPath = db.ScopePath is { } scope ? PlacePath.County(scope) : null;
        var county = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.County && (countyPath == null || d.Path == countyPath)).OrderBy(d => d.Path).FirstOrDefaultAsync(ct);
        if (county is null)
        {
            errors.Add(new FieldError(nameof(c.Code), "Common.NotFound"));
        }
        else if (department is null && await db.Departments.IgnoreQueryFilters().AnyAsync(d => d.Path == PlacePath.Child(county.Path, "D" + code), ct))
        {
            errors.Add(new FieldError(nameof(c.Code), "Validation.Duplicate", code));
        }
        if (errors.Count > 0)
        {
            return Outcome<Department>.Invalid(errors);
        }
        department ??= db.Departments.Add(new Department { Code = code, Name = "", CountyId = county!.Id, Path = PlacePath.Child(county.Path, "D" + code) }).Entity;
        department.Name = c.Name.Trim();
        department.Kind = c.Kind;
        department.Duties = string.IsNullOrWhiteSpace(c.Duties) ? null : c.Duties.Trim();
        return await db.SaveAsync(department, ct);
    }
}

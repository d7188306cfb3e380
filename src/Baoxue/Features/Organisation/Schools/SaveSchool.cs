using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.Schools;

/// <summary>Create or change a school. Its code and township fix its place in the path and do not change.</summary>
public static class SaveSchool
{
    public sealed record Command(
        Guid? Id, string Code, string Name, SchoolKind Kind, Guid TownshipId, Guid? VillageId,
        string? Address, string? HeadName, string? Phone, Guid? CentralSchoolId, bool IsActive = true);

    public static async Task<List<FieldError>> ValidateAsync(BaoxueDb db, Command c, School? existing, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var code = c.Code?.Trim() ?? "";
        if (!School.IsValidCode(code))
        {
            errors.Add(new FieldError(nameof(c.Code), "School.CodeRule"));
        }
        else if (existing is not null && existing.Code != code)
        {
            errors.Add(new FieldError(nameof(c.Code), "School.CodeFixed"));
        }
        else if (existing is null && await db.Schools.IgnoreQueryFilters().AnyAsync(s => s.Code == code, ct))
        {
            errors.Add(new FieldError(nameof(c.Code), "Validation.Duplicate", code));
        }
        if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Trim().Length > 100)
        {
            errors.Add(new FieldError(nameof(c.Name), "Validation.Required", "Field.Name"));
        }
        if (!Enum.IsDefined(c.Kind))
        {
            errors.Add(new FieldError(nameof(c.Kind), "Validation.Required", "Field.Kind"));
        }
        var township = await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == c.TownshipId && d.Level == DivisionLevel.Township, ct);
        if (township is null)
        {
            errors.Add(new FieldError(nameof(c.TownshipId), "School.TownshipRequired"));
        }
        else if (existing is not null && existing.TownshipId != c.TownshipId)
        {
            errors.Add(new FieldError(nameof(c.TownshipId), "School.TownshipFixed"));
        }
        if (c.VillageId is { } villageId && !await db.Divisions.AnyAsync(d => d.Id == villageId && d.ParentId == c.TownshipId, ct))
        {
            errors.Add(new FieldError(nameof(c.VillageId), "School.VillageNotInTownship"));
        }
        if (c.CentralSchoolId is { } centralId && (centralId == existing?.Id || !await db.Schools.AnyAsync(s => s.Id == centralId, ct)))
        {
            errors.Add(new FieldError(nameof(c.CentralSchoolId), "School.CentralSchoolNotFound"));
        }
        if (!string.IsNullOrWhiteSpace(c.Phone) && !PhoneNumber.IsValid(c.Phone.Trim()))
        {
            errors.Add(new FieldError(nameof(c.Phone), "Validation.Phone", c.Phone));
        }
        return errors;
    }

    public static async Task<Outcome<School>> HandleAsync(BaoxueDb db, Command c, CancellationToken ct = default)
    {
        School? school = null;
        if (c.Id is { } id)
        {
            school = await db.Schools.FirstOrDefaultAsync(s => s.Id == id, ct);
            if (school is null)
            {
                return Outcome<School>.Missing();
            }
        }
        var errors = await ValidateAsync(db, c, school, ct);
        if (errors.Count > 0)
        {
            return Outcome<School>.Invalid(errors);
        }
        if (school is null)
        {
            var township = await db.Divisions.AsNoTracking().FirstAsync(d => d.Id == c.TownshipId, ct);
            school = new School { Code = c.Code.Trim(), Name = c.Name.Trim(), Path = PlacePath.Child(township.Path, c.Code.Trim()), TownshipId = c.TownshipId };
            db.Schools.Add(school);
        }
        Apply(school, c);
        return await db.SaveAsync(school, ct);
    }

    public static void Apply(School school, Command c)
    {
        school.Name = c.Name.Trim();
        school.Kind = c.Kind;
        school.VillageId = c.VillageId;
        school.Address = Blank(c.Address);
        school.HeadName = Blank(c.HeadName);
        school.Phone = Blank(c.Phone);
        school.CentralSchoolId = c.CentralSchoolId;
        school.IsActive = c.IsActive;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.People;

/// <summary>Add or change a person who can be made responsible: at a school, a department, or a township/village.</summary>
public static class SaveStaff
{
    public sealed record Command(Guid? Id, string Name, string Post, string? Phone, PlaceKind PlaceKind, Guid PlaceId, bool IsActive = true);

    public static async Task<Outcome<Domain.Staff>> HandleAsync(BaoxueDb db, Command c, CancellationToken ct = default)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Trim().Length > 64)
        {
            errors.Add(new FieldError(nameof(c.Name), "Validation.Required", "Field.Name"));
        }
        if (string.IsNullOrWhiteSpace(c.Post) || c.Post.Trim().Length > 64)
        {
            errors.Add(new FieldError(nameof(c.Post), "Validation.Required", "Field.Post"));
        }
        var phone = PhoneNumber.Normalize(c.Phone);
        if (!string.IsNullOrWhiteSpace(c.Phone) && (phone is null || !PhoneNumber.IsValid(phone)))
        {
            errors.Add(new FieldError(nameof(c.Phone), "Validation.Phone", c.Phone));
        }
        var place = c.PlaceKind == PlaceKind.Class ? null : await Places.FindAsync(db, c.PlaceKind, c.PlaceId, ct);
        if (place is null || (db.ScopePath is { } scope && !PlacePath.IsWithin(place.Path, scope)))
        {
            errors.Add(new FieldError(nameof(c.PlaceId), "Staff.PlaceRequired"));
        }
        Domain.Staff? person = null;
        if (c.Id is { } id)
        {
            person = await db.Staff.FirstOrDefaultAsync(s => s.Id == id, ct);
            if (person is null)
            {
                return Outcome<Domain.Staff>.Missing();
            }
        }
        if (errors.Count > 0)
        {
            return Outcome<Domain.Staff>.Invalid(errors);
        }
        person ??= db.Staff.Add(new Domain.Staff { Name = "", Post = "", Path = place!.Path }).Entity;
        person.Name = c.Name.Trim();
        person.Post = c.Post.Trim();
        person.Phone = string.IsNullOrWhiteSpace(c.Phone) ? null : phone;
        person.SchoolId = c.PlaceKind == PlaceKind.School ? c.PlaceId : null;
        person.DepartmentId = c.PlaceKind == PlaceKind.Department ? c.PlaceId : null;
        person.DivisionId = c.PlaceKind is PlaceKind.County or PlaceKind.Township or PlaceKind.Village ? c.PlaceId : null;
        person.Path = place!.Path;
        person.IsActive = c.IsActive;
        return await db.SaveAsync(person, ct);
    }

    public static (PlaceKind Kind, Guid Id) PlaceOf(Domain.Staff s, DivisionLevel? divisionLevel) =>
        s.SchoolId is { } school ? (PlaceKind.School, school)
        : s.DepartmentId is { } dept ? (PlaceKind.Department, dept)
        : (divisionLevel switch { DivisionLevel.County => PlaceKind.County, DivisionLevel.Township => PlaceKind.Township, _ => PlaceKind.Village }, s.DivisionId ?? Guid.Empty);
}

using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.People;

/// <summary>
/// Add or change a person who can be made responsible: at a school, a department, or a township/village. A school's
/// teacher also has the classes they teach, the sign-in account that is theirs, and (granted by the school) whether a
/// subject teacher sees the whole school's students rather than their classes' only.
/// </summary>
public static class SaveStaff
{
    /// <param name="ClassIds">The classes taught; null leaves them as they are.</param>
    /// <param name="SeesWholeSchool">The school's grant; null leaves it as it is.</param>
    /// <param name="AccountId">The person's sign-in account; null leaves the link as it is, <see cref="Guid.Empty"/> removes it.</param>
    public sealed record Command(Guid? Id, string Name, string Post, string? Phone, PlaceKind PlaceKind, Guid PlaceId, bool IsActive = true,
        IReadOnlyList<Guid>? ClassIds = null, bool? SeesWholeSchool = null, Guid? AccountId = null);

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
        if (place is null || !db.Covers(place.Path))
        {
            errors.Add(new FieldError(nameof(c.PlaceId), "Staff.PlaceRequired"));
        }
        var atSchool = c.PlaceKind == PlaceKind.School && place is not null;
        var classIds = c.ClassIds?.Distinct().ToList();
        var classes = new List<SchoolClass>();
        if (classIds is { Count: > 0 })
        {
            classes = atSchool ? await db.Classes.AsNoTracking().Where(x => classIds.Contains(x.Id) && x.SchoolId == c.PlaceId).ToListAsync(ct) : [];
            if (classes.Count != classIds.Count || classes.Any(x => !db.Covers(x.Path)))
            {
                errors.Add(new FieldError(nameof(c.ClassIds), atSchool ? "Staff.ClassNotInSchool" : "Staff.TeachingNeedsSchool"));
            }
        }
        if (c.SeesWholeSchool == true && !atSchool)
        {
            errors.Add(new FieldError(nameof(c.SeesWholeSchool), "Staff.TeachingNeedsSchool"));
        }
        AppUser? account = null;
        if (c.AccountId is { } accountId && accountId != Guid.Empty)
        {
            account = await db.Users.FirstOrDefaultAsync(u => u.Id == accountId, ct);
            // The person's own account may still be bound to the unit they are leaving: it moves with them below.
            if (account is null || place is null || (account.StaffId != c.Id && !PlacePath.IsWithin(account.Path, place.Path)) || !db.Covers(account.Path))
            {
                errors.Add(new FieldError(nameof(c.AccountId), "Staff.AccountNotOfUnit"));
            }
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
        var (wasActive, oldPath) = (person.IsActive, person.Path);
        person.Name = c.Name.Trim();
        person.Post = c.Post.Trim();
        person.Phone = string.IsNullOrWhiteSpace(c.Phone) ? null : phone;
        person.SchoolId = c.PlaceKind == PlaceKind.School ? c.PlaceId : null;
        person.DepartmentId = c.PlaceKind == PlaceKind.Department ? c.PlaceId : null;
        person.DivisionId = c.PlaceKind is PlaceKind.County or PlaceKind.Township or PlaceKind.Village ? c.PlaceId : null;
        person.Path = place!.Path;
        person.IsActive = c.IsActive;
        if (c.SeesWholeSchool is not null || !atSchool)
        {
            // The grant is the school's: it goes with the person leaving the school.
            person.SeesWholeSchool = c.SeesWholeSchool == true && atSchool;
        }
        if (classIds is not null || !atSchool)
        {
            var held = await db.TeachingAssignments.Where(a => a.StaffId == person.Id).ToListAsync(ct);
            var keep = atSchool ? classIds ?? [.. held.Select(a => a.ClassId)] : [];
            db.TeachingAssignments.RemoveRange(held.Where(a => !keep.Contains(a.ClassId)));
            foreach (var cls in classes.Where(x => held.All(a => a.ClassId != x.Id)))
            {
                db.TeachingAssignments.Add(new TeachingAssignment { StaffId = person.Id, ClassId = cls.Id, Path = cls.Path });
            }
        }
        // Leaving or moving takes the person's account along in the same save (issue 13).
        await Accounts.StaffAccounts.FollowAsync(db, person, wasActive, oldPath, c.PlaceKind, c.PlaceId, ct);
        if (c.AccountId is not null)
        {
            foreach (var previous in await db.Users.Where(u => u.StaffId == person.Id && u.Id != c.AccountId).ToListAsync(ct))
            {
                previous.StaffId = null;
            }
            if (account is not null)
            {
                account.StaffId = person.Id;
            }
        }
        return await db.SaveAsync(person, ct);
    }

    public static (PlaceKind Kind, Guid Id) PlaceOf(Domain.Staff s, DivisionLevel? divisionLevel) =>
        s.SchoolId is { } school ? (PlaceKind.School, school)
        : s.DepartmentId is { } dept ? (PlaceKind.Department, dept)
        : (divisionLevel switch { DivisionLevel.County => PlaceKind.County, DivisionLevel.Township => PlaceKind.Township, _ => PlaceKind.Village }, s.DivisionId ?? Guid.Empty);
}

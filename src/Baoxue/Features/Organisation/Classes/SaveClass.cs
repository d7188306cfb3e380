using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.Classes;

/// <summary>Open a class in a school for a school year, or change its head teacher and size. Grade and number fix its path.</summary>
public static class SaveClass
{
    public sealed record Command(Guid? Id, Guid SchoolId, Guid SchoolYearId, int Grade, int Number, Guid? HeadTeacherId, int? Capacity);

    public static async Task<Outcome<SchoolClass>> HandleAsync(BaoxueDb db, Command c, CancellationToken ct = default)
    {
        SchoolClass? existing = null;
        if (c.Id is { } id)
        {
            existing = await db.Classes.FirstOrDefaultAsync(x => x.Id == id, ct);
            if (existing is null)
            {
                return Outcome<SchoolClass>.Missing();
            }
        }
        var errors = new List<FieldError>();
        var school = await db.Schools.AsNoTracking().FirstOrDefaultAsync(s => s.Id == c.SchoolId, ct);
        var year = await db.SchoolYears.AsNoTracking().FirstOrDefaultAsync(y => y.Id == c.SchoolYearId, ct);
        if (school is null)
        {
            return Outcome<SchoolClass>.Missing();
        }
        if (year is null)
        {
            errors.Add(new FieldError(nameof(c.SchoolYearId), "Class.YearRequired"));
        }
        if (!school.Teaches(c.Grade))
        {
            errors.Add(new FieldError(nameof(c.Grade), "Class.GradeNotTaught", c.Grade));
        }
        if (c.Number is < 1 or > 99)
        {
            errors.Add(new FieldError(nameof(c.Number), "Class.NumberRule"));
        }
        if (c.Capacity is < 1 or > 200)
        {
            errors.Add(new FieldError(nameof(c.Capacity), "Class.CapacityRule"));
        }
        if (existing is not null && (existing.SchoolId != c.SchoolId || existing.SchoolYearId != c.SchoolYearId || existing.Grade != c.Grade || existing.Number != c.Number))
        {
            errors.Add(new FieldError(nameof(c.Number), "Class.Fixed"));
        }
        if (c.HeadTeacherId is { } teacherId && !await db.Staff.AnyAsync(s => s.Id == teacherId && s.SchoolId == c.SchoolId, ct))
        {
            errors.Add(new FieldError(nameof(c.HeadTeacherId), "Class.HeadTeacherNotAtSchool"));
        }
        if (existing is null && errors.Count == 0 && await db.Classes.IgnoreQueryFilters().AnyAsync(x => x.SchoolId == c.SchoolId && x.SchoolYearId == c.SchoolYearId && x.Grade == c.Grade && x.Number == c.Number, ct))
        {
            errors.Add(new FieldError(nameof(c.Number), "Class.Duplicate"));
        }
        if (errors.Count > 0)
        {
            return Outcome<SchoolClass>.Invalid(errors);
        }
        var item = existing ?? db.Classes.Add(new SchoolClass
        {
            SchoolId = c.SchoolId,
            SchoolYearId = c.SchoolYearId,
            Grade = c.Grade,
            Number = c.Number,
            Path = PlacePath.Child(school.Path, SchoolClass.PathSegment(year!.StartYear, c.Grade, c.Number)),
        }).Entity;
        item.HeadTeacherId = c.HeadTeacherId;
        item.Capacity = c.Capacity;
        return await db.SaveAsync(item, ct);
    }
}

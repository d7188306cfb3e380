using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Registry;

/// <summary>Enrol a student in a class, or correct their record. Moving to another school is a transfer, not an edit.</summary>
public static class SaveStudent
{
    public sealed record GuardianInput(GuardianRelation Relation, string Name, string? Phone, bool WorksAway);

    public sealed record TagInput(GroupKind Kind, string? DisabilityType = null, int? DisabilityGrade = null, string? Source = null);

    public sealed record Command(
        Guid? Id, string? IdNumber, string? RegistryNumber, string? Name, Gender? Gender, DateOnly? BirthDate, string? Ethnicity,
        string? HouseholdRegionCode, string? HouseholdAddress, HouseholdType? HouseholdType, string? Residence,
        Guid ClassId, DateOnly? EnrolledOn, IReadOnlyList<GuardianInput>? Guardians = null, IReadOnlyList<TagInput>? Tags = null);

    public static readonly string[] DisabilityTypes = ["Visual", "Hearing", "Speech", "Physical", "Intellectual", "Mental", "Multiple"];

    public static async Task<Outcome<Student>> HandleAsync(BaoxueDb db, PersonalData personal, Command c, CancellationToken ct = default)
    {
        Student? student = null;
        if (c.Id is { } id)
        {
            student = await db.Students.Include(s => s.Guardians).Include(s => s.Tags).FirstOrDefaultAsync(s => s.Id == id, ct);
            if (student is null)
            {
                return Outcome<Student>.Missing();
            }
        }
        var errors = new List<FieldError>();
        var today = db.County.Today;
        var person = StudentInput.Check(new StudentInput.Person(c.IdNumber, c.RegistryNumber, c.Name, c.Gender, c.BirthDate, c.Ethnicity), errors, today);
        var schoolClass = await db.Classes.AsNoTracking().Include(x => x.School).FirstOrDefaultAsync(x => x.Id == c.ClassId, ct);
        if (schoolClass is null || !db.Covers(schoolClass.Path))
        {
            errors.Add(new FieldError("ClassId", "Student.ClassRequired"));
        }
        else if (student is not null && schoolClass.SchoolId != student.SchoolId)
        {
            errors.Add(new FieldError("ClassId", "Student.MoveIsATransfer"));
        }
        if (c.HouseholdRegionCode is { Length: > 0 } region && (region.Length != 6 || !region.All(char.IsAsciiDigit)))
        {
            errors.Add(new FieldError("HouseholdRegionCode", "Student.RegionCodeRule"));
        }
        foreach (var (g, i) in (c.Guardians ?? []).Select((g, i) => (g, i)))
        {
            // Too long a name is left to the model's limit (ModelLimits), which names the field and the limit.
            if (string.IsNullOrWhiteSpace(g.Name))
            {
                errors.Add(new FieldError($"Guardians[{i}].Name", "Validation.Required", "Field.GuardianName"));
            }
            if (!string.IsNullOrWhiteSpace(g.Phone) && !PhoneNumber.IsValid(g.Phone))
            {
                errors.Add(new FieldError($"Guardians[{i}].Phone", "Validation.Phone", g.Phone));
            }
        }
        foreach (var t in c.Tags ?? [])
        {
            if (t.Kind == GroupKind.Disabled && (t.DisabilityType is null || !DisabilityTypes.Contains(t.DisabilityType) || t.DisabilityGrade is not (>= 1 and <= 4)))
            {
                errors.Add(new FieldError("Tags", "Student.DisabilityNeedsTypeAndGrade"));
            }
        }
        if (person is not null)
        {
            var hash = person.NormalizedId is null ? null : personal.Hash(person.NormalizedId);
            if (hash is not null && await db.Students.IgnoreQueryFilters().AnyAsync(s => s.IdNumberHash == hash && s.Id != (c.Id ?? Guid.Empty), ct))
            {
                errors.Add(new FieldError("IdNumber", "Student.DuplicateId"));
            }
            // G numbers are unique through the ID's hash; J and L numbers are stored whole and checked here.
            if (!person.RegistryNumber.StartsWith('G') && await db.Students.IgnoreQueryFilters().AnyAsync(s => s.RegistryNumber == person.RegistryNumber && s.Id != (c.Id ?? Guid.Empty), ct))
            {
                errors.Add(new FieldError("RegistryNumber", "Validation.Duplicate", person.RegistryNumber));
            }
        }
        if (errors.Count > 0)
        {
            return Outcome<Student>.Invalid(errors);
        }

        if (student is null)
        {
            student = new Student { RegistryNumber = "", Name = "", Ethnicity = "", Path = "", SchoolId = schoolClass!.SchoolId, EnrolledOn = c.EnrolledOn ?? today };
            db.Students.Add(student);
        }
        Apply(student, person!, personal);
        student.HouseholdRegionCode = Blank(c.HouseholdRegionCode);
        student.HouseholdAddress = Blank(c.HouseholdAddress);
        student.HouseholdType = c.HouseholdType;
        student.Residence = Blank(c.Residence);
        student.ClassId = schoolClass!.Id;
        student.Grade = schoolClass.Grade;
        student.Path = schoolClass.Path;
        // New children are added to the context explicitly: their keys are set client-side (GUID v7), and found only
        // through the navigation EF would take them for existing rows and UPDATE nothing (the 500 of issue 6.2).
        if (c.Guardians is not null)
        {
            db.Guardians.RemoveRange(student.Guardians);
            student.Guardians = [.. c.Guardians.Select(g => new Guardian { StudentId = student.Id, Relation = g.Relation, Name = g.Name.Trim(), Phone = PhoneNumber.Normalize(g.Phone), WorksAway = g.WorksAway })];
            db.Guardians.AddRange(student.Guardians);
        }
        if (c.Tags is not null)
        {
            var kept = student.Tags.ToDictionary(t => t.Kind);
            db.GroupTags.RemoveRange(student.Tags.Where(t => c.Tags.All(n => n.Kind != t.Kind)));
            student.Tags = [.. c.Tags.DistinctBy(t => t.Kind).Select(t =>
            {
                var tag = kept.GetValueOrDefault(t.Kind);
                if (tag is null)
                {
                    tag = new GroupTag { StudentId = student.Id, Kind = t.Kind, StartedOn = today };
                    db.GroupTags.Add(tag);
                }
                tag.DisabilityType = t.Kind == GroupKind.Disabled ? t.DisabilityType : null;
                tag.DisabilityGrade = t.Kind == GroupKind.Disabled ? t.DisabilityGrade : null;
                tag.Source = Blank(t.Source);
                return tag;
            })];
        }
        return await db.SaveAsync(student, ct);
    }

    /// <summary>The identifying fields, with the ID encrypted, hashed and masked.</summary>
    public static void Apply(Student student, StudentInput.Checked person, PersonalData personal)
    {
        student.RegistryNumber = Domain.RegistryNumber.Stored(person.RegistryNumber, person.NormalizedId);
        student.Name = person.Name;
        student.Gender = person.Gender;
        student.BirthDate = person.BirthDate;
        student.Ethnicity = person.Ethnicity;
        student.IdNumberCipher = person.NormalizedId is null ? null : personal.Encrypt(person.NormalizedId);
        student.IdNumberHash = person.NormalizedId is null ? null : personal.Hash(person.NormalizedId);
        student.IdNumberMasked = person.NormalizedId is null ? null : IdNumber.Mask(person.NormalizedId);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

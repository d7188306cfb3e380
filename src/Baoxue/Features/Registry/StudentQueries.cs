using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Registry;

/// <summary>Finding students within the user's jurisdiction; IDs and phones come out masked.</summary>
public static class StudentQueries
{
    public sealed record Filter(string? Q = null, Guid? SchoolId = null, Guid? ClassId = null, int? Grade = null, StudentStatus? Status = null, GroupKind? Group = null, int Page = 1);

    /// <summary>A list row as the user may see it (<see cref="IdDisclosure"/>): BirthDate is null for users who see only <see cref="BirthMonth"/>.</summary>
    public sealed record StudentRow(Guid Id, string RegistryNumber, string? IdNumberMasked, string Name, Gender Gender, DateOnly? BirthDate, string BirthMonth, string Ethnicity, Guid SchoolId, string School, Guid? ClassId, int Grade, int? ClassNumber, StudentStatus Status);

    public const int PageSize = 50;

    public static IQueryable<Student> Apply(BaoxueDb db, PersonalData personal, Filter f)
    {
        var query = db.Students.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            var term = f.Q.Trim();
            // A whole ID number is looked up by its keyed hash: the database never sees it.
            var id = IdNumber.Parse(term.StartsWith('G') || term.StartsWith('g') ? term[1..] : term);
            // Finding a child by a whole ID confirms a guess; only users who may see the ID anyway may ask
            // (otherwise 15,000 guesses would undo the masking, decision 0020). Others get no match.
            if (id.IsValid && !db.Disclosure.Full)
            {
                query = query.Where(s => false);
            }
            else if (id.IsValid)
            {
                var hash = personal.Hash(id.Normalized);
                query = query.Where(s => s.IdNumberHash == hash);
            }
            else
            {
                var upper = term.ToUpperInvariant();
                query = query.Where(s => s.Name.Contains(term) || s.RegistryNumber == upper);
            }
        }
        if (f.SchoolId is { } school)
        {
            query = query.Where(s => s.SchoolId == school);
        }
        if (f.ClassId is { } cls)
        {
            query = query.Where(s => s.ClassId == cls);
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
            query = query.Where(s => s.Tags.Any(t => t.Kind == group && t.EndedOn == null));
        }
        return query;
    }

    // What of the ID and birth date shows is decided here, in the final projection, so page, API and export agree.
    public static IQueryable<StudentRow> Rows(IQueryable<Student> query, IdDisclosure disclosure) =>
        query.OrderBy(s => s.Path).ThenBy(s => s.Name)
            .Select(s => new StudentRow(s.Id, disclosure.RegistryNumber(s.RegistryNumber), disclosure.IdNumber(s.IdNumberMasked), s.Name, s.Gender, disclosure.BirthDate(s.BirthDate), IdDisclosure.BirthMonth(s.BirthDate),
                s.Ethnicity, s.SchoolId, s.School!.Name, s.ClassId, s.Grade, s.Class != null ? s.Class.Number : null, s.Status));

    public static Task<List<StudentRow>> PageAsync(BaoxueDb db, PersonalData personal, Filter f, CancellationToken ct = default) =>
        Rows(Apply(db, personal, f), db.Disclosure).Skip((Math.Clamp(f.Page, 1, Infrastructure.Integrity.Paging.MaxPage) - 1) * PageSize).Take(PageSize).ToListAsync(ct);
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

using System.Text;
using Baoxue.Domain;
using Baoxue.Infrastructure;

namespace Baoxue.Features.Registry;

/// <summary>
/// The checks every way into the registry shares (form, API, spreadsheet): the ID's check character,
/// birth date and gender agreeing with the ID, the registry number's form, names as written.
/// </summary>
public static class StudentInput
{
    public sealed record Person(string? IdNumber, string? RegistryNumber, string? Name, Gender? Gender, DateOnly? BirthDate, string? Ethnicity);

    public sealed record Checked(string? NormalizedId, string RegistryNumber, string Name, Gender Gender, DateOnly BirthDate, string Ethnicity);

    /// <summary>A registry holds children and the young adults they became: nobody born in the future or this long ago.</summary>
    public const int OldestAgeYears = 30;

    /// <summary>Checks a person; with <paramref name="today"/> (the county's), the birth date must also be a plausible one.</summary>
    public static Checked? Check(Person p, List<FieldError> errors, DateOnly? today = null)
    {
        string? id = null;
        var idText = p.IdNumber?.Trim() ?? "";
        DateOnly? birth = p.BirthDate;
        Gender? gender = p.Gender;
        if (gender is { } given && !Enum.IsDefined(given))
        {
            errors.Add(new FieldError("Gender", "Integrity.UnknownValue", "Field.Gender"));
            gender = null;
        }
        if (idText.Length > 0)
        {
            var parsed = IdNumber.Parse(idText);
            if (!parsed.IsValid)
            {
                var reason = "Student.Id." + parsed.Error;
                errors.Add(new FieldError("IdNumber", reason));
            }
            else
            {
                id = parsed.Normalized;
                if (birth is { } b && b != parsed.BirthDate)
                {
                    errors.Add(new FieldError("BirthDate", "Student.BirthDateDisagrees", parsed.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
                }
                if (gender is { } g && g != parsed.Gender)
                {
                    errors.Add(new FieldError("Gender", "Student.GenderDisagrees"));
                }
                birth ??= parsed.BirthDate;
                gender ??= parsed.Gender;
            }
        }
        var registry = (p.RegistryNumber?.Trim().ToUpperInvariant() ?? "") is { Length: > 0 } r ? r : id is null ? "" : Domain.RegistryNumber.ForId(id);
        if (idText.Length == 0 || id is not null)
        {
            var problem = Domain.RegistryNumber.Check(registry, id);
            if (problem != Domain.RegistryNumber.Problem.None)
            {
                var reason = "Student.RegistryNumber." + problem;
                errors.Add(new FieldError("RegistryNumber", reason));
            }
        }
        var name = NormalizeName(p.Name);
        if (name.Length == 0 || name.Length > 64)
        {
            errors.Add(new FieldError("Name", "Validation.Required", "Field.StudentName"));
        }
        else if (!LooksLikeAName(name))
        {
            errors.Add(new FieldError("Name", "Student.NameCharacters"));
        }
        if (gender is null && p.Gender is null)
        {
            errors.Add(new FieldError("Gender", "Validation.Required", "Field.Gender"));
        }
        if (birth is null)
        {
            errors.Add(new FieldError("BirthDate", "Validation.Required", "Field.BirthDate"));
        }
        else if (today is { } now && (birth > now || birth < now.AddYears(-OldestAgeYears)))
        {
            errors.Add(new FieldError("BirthDate", "Integrity.BirthDateRange", OldestAgeYears));
        }
        var ethnicity = Ethnicities.Normalize(p.Ethnicity);
        if (ethnicity is null)
        {
            errors.Add(new FieldError("Ethnicity", "Student.UnknownEthnicity"));
        }
        return errors.Count == 0 ? new Checked(id, registry, name, gender!.Value, birth!.Value, ethnicity!) : null;
    }

    /// <summary>Names keep rare characters outside the BMP and the minority-name dot; look-alike dots become U+00B7.</summary>
    public static string NormalizeName(string? name) =>
        (name ?? "").Trim().Replace('•', '·').Replace('・', '·').Replace('．', '·').Replace(" ", "", StringComparison.Ordinal);

    // Han characters (any plane), the middle dot between parts of minority names, and Latin letters for transliterations.
    private static bool LooksLikeAName(string name)
    {
        if (name.StartsWith('·') || name.EndsWith('·') || name.Contains("··", StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var rune in name.EnumerateRunes())
        {
            var ok = rune.Value == '·'
                || Rune.IsLetter(rune) && (rune.Value >= 0x3400 || char.IsAsciiLetter((char)rune.Value));
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}

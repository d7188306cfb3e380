using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.Divisions;

/// <summary>Add a township or village under its parent, or rename one. Codes fix the place in the path and do not change.</summary>
public static class SaveDivision
{
    public sealed record Command(Guid? Id, Guid? ParentId, string Code, string Name, string? Kind);

    public static readonly string[] TownshipKinds = ["Town", "Township", "Subdistrict", "Zone"];
    public static readonly string[] VillageKinds = ["Village", "Community"];

    public static async Task<Outcome<Division>> HandleAsync(BaoxueDb db, Command c, CancellationToken ct = default)
    {
        var errors = new List<FieldError>();
        var name = c.Name?.Trim() ?? "";
        var code = c.Code?.Trim() ?? "";
        if (name.Length is 0 or > 64)
        {
            errors.Add(new FieldError(nameof(c.Name), "Validation.Required", "Field.Name"));
        }

        if (c.Id is { } id)
        {
            var existing = await db.Divisions.FirstOrDefaultAsync(d => d.Id == id, ct);
            if (existing is null)
            {
                return Outcome<Division>.Missing();
            }
            if (code != existing.Code)
            {
                errors.Add(new FieldError(nameof(c.Code), "Division.CodeFixed"));
            }
            if (errors.Count > 0)
            {
                return Outcome<Division>.Invalid(errors);
            }
            existing.Name = name;
            existing.Kind = string.IsNullOrWhiteSpace(c.Kind) ? existing.Kind : c.Kind.Trim();
            return await db.SaveAsync(existing, ct);
        }

        var parent = c.ParentId is { } parentId ? await db.Divisions.FirstOrDefaultAsync(d => d.Id == parentId, ct) : null;
        if (parent is null || parent.Level is not (DivisionLevel.County or DivisionLevel.Township))
        {
            errors.Add(new FieldError(nameof(c.ParentId), "Division.ParentRequired"));
            return Outcome<Division>.Invalid(errors);
        }
        var length = parent.Level == DivisionLevel.County ? 9 : 12;
        if (code.Length != length || !code.All(char.IsAsciiDigit) || !code.StartsWith(parent.Code, StringComparison.Ordinal))
        {
            errors.Add(new FieldError(nameof(c.Code), "Division.CodeRule", length, parent.Code));
        }
        else if (await db.Divisions.IgnoreQueryFilters().AnyAsync(d => d.Code == code, ct))
        {
            errors.Add(new FieldError(nameof(c.Code), "Validation.Duplicate", code));
        }
        if (errors.Count > 0)
        {
            return Outcome<Division>.Invalid(errors);
        }
        var division = new Division
        {
            Code = code,
            Name = name,
            Level = Division.LevelOfCode(code),
            ParentId = parent.Id,
            Path = PlacePath.Child(parent.Path, code),
            Kind = string.IsNullOrWhiteSpace(c.Kind) ? null : c.Kind.Trim(),
        };
        db.Divisions.Add(division);
        return await db.SaveAsync(division, ct);
    }
}

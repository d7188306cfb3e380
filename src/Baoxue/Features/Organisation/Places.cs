using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation;

/// <summary>Any place an account or a person can be bound to, looked up within the user's jurisdiction.</summary>
public static class Places
{
    public sealed record Place(PlaceKind Kind, Guid Id, string Name, string Path);

    public static async Task<Place?> FindAsync(BaoxueDb db, PlaceKind kind, Guid id, CancellationToken ct = default) => kind switch
    {
        PlaceKind.Province or PlaceKind.City or PlaceKind.County or PlaceKind.Township or PlaceKind.Village => await db.Divisions.AsNoTracking()
            .Where(d => d.Id == id && d.Level == LevelOf(kind))
            .Select(d => new Place(kind, d.Id, d.Name, d.Path)).FirstOrDefaultAsync(ct),
        PlaceKind.School => await db.Schools.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new Place(kind, s.Id, s.Name, s.Path)).FirstOrDefaultAsync(ct),
        PlaceKind.Class => await db.Classes.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.Id, c.Grade, c.Number, SchoolName = c.School!.Name, c.Path }).FirstOrDefaultAsync(ct) is { } c
                ? new Place(kind, c.Id, c.SchoolName + " " + Infrastructure.Localization.ChineseFormat.ClassName(c.Grade, c.Number), c.Path)
                : null,
        PlaceKind.Department => await db.Departments.AsNoTracking().Where(d => d.Id == id)
            .Select(d => new Place(kind, d.Id, d.Name, d.Path)).FirstOrDefaultAsync(ct),
        _ => null,
    };

    public static DivisionLevel LevelOf(PlaceKind kind) => kind switch
    {
        PlaceKind.Province => DivisionLevel.Province,
        PlaceKind.City => DivisionLevel.City,
        PlaceKind.County => DivisionLevel.County,
        PlaceKind.Township => DivisionLevel.Township,
        _ => DivisionLevel.Village,
    };

    /// <summary>The place kind of a division level (the reverse of <see cref="LevelOf"/>).</summary>
    public static PlaceKind KindOf(DivisionLevel level) => level switch
    {
        DivisionLevel.Province => PlaceKind.Province,
        DivisionLevel.City => PlaceKind.City,
        DivisionLevel.County => PlaceKind.County,
        DivisionLevel.Township => PlaceKind.Township,
        _ => PlaceKind.Village,
    };

    /// <summary>Places of one kind the user may bind accounts to, for pickers.</summary>
    public static async Task<List<Place>> ListAsync(BaoxueDb db, PlaceKind kind, string scopePath, CancellationToken ct = default)
    {
        switch (kind)
        {
            case PlaceKind.Province or PlaceKind.City or PlaceKind.County or PlaceKind.Township or PlaceKind.Village:
                var level = LevelOf(kind);
                return await db.Divisions.AsNoTracking().Where(d => d.Level == level && d.Path.StartsWith(scopePath))
                    .OrderBy(d => d.Code).Select(d => new Place(kind, d.Id, d.Name, d.Path)).ToListAsync(ct);
            case PlaceKind.School:
                return await db.Schools.AsNoTracking().Where(s => s.Path.StartsWith(scopePath))
                    .OrderBy(s => s.Code).Select(s => new Place(kind, s.Id, s.Name, s.Path)).ToListAsync(ct);
            case PlaceKind.Class:
                var classes = await db.Classes.AsNoTracking().Where(c => c.Path.StartsWith(scopePath) && c.SchoolYear!.IsCurrent)
                    .OrderBy(c => c.School!.Code).ThenBy(c => c.Grade).ThenBy(c => c.Number)
                    .Select(c => new { c.Id, c.Grade, c.Number, SchoolName = c.School!.Name, c.Path }).ToListAsync(ct);
                return [.. classes.Select(c => new Place(kind, c.Id, c.SchoolName + " " + Infrastructure.Localization.ChineseFormat.ClassName(c.Grade, c.Number), c.Path))];
            case PlaceKind.Department:
                return await db.Departments.AsNoTracking().Where(d => d.Path.StartsWith(scopePath))
                    .OrderBy(d => d.Code).Select(d => new Place(kind, d.Id, d.Name, d.Path)).ToListAsync(ct);
            default:
                return [];
        }
    }
}

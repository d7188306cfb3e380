using Baoxue.Data;
using Baoxue.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Home;

public static class HomeQueries
{
    /// <summary>The human name of the place a path ends at, whatever kind of place it is: a class as 罗源县凤山中心小学 三年级（1）班.</summary>
    public static async Task<string> PlaceNameAsync(BaoxueDb db, string path, CancellationToken ct = default)
    {
        var name = await db.Divisions.Where(d => d.Path == path).Select(d => d.Name).FirstOrDefaultAsync(ct)
            ?? await db.Schools.Where(s => s.Path == path).Select(s => s.Name).FirstOrDefaultAsync(ct)
            ?? await db.Departments.Where(d => d.Path == path).Select(d => d.Name).FirstOrDefaultAsync(ct);
        if (name is not null)
        {
            return name;
        }
        var cls = await db.Classes.Where(c => c.Path == path).Select(c => new { School = c.School!.Name, c.Grade, c.Number }).FirstOrDefaultAsync(ct);
        return cls is null ? "" : $"{cls.School} {ChineseFormat.ClassName(cls.Grade, cls.Number)}";
    }
}

using Baoxue.Data;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Home;

public static class HomeQueries
{
    /// <summary>The name of the place a path ends at, whatever kind of place it is.</summary>
    public static async Task<string> PlaceNameAsync(BaoxueDb db, string path) =>
        await db.Divisions.Where(d => d.Path == path).Select(d => d.Name).FirstOrDefaultAsync()
        ?? await db.Schools.Where(s => s.Path == path).Select(s => s.Name).FirstOrDefaultAsync()
        ?? await db.Departments.Where(d => d.Path == path).Select(d => d.Name).FirstOrDefaultAsync()
        ?? await db.Classes.Where(c => c.Path == path).Select(c => c.School!.Name + " " + c.Grade + "-" + c.Number).FirstOrDefaultAsync()
        ?? "";
}

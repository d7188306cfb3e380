using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.Divisions;

/// <summary>The national list of divisions down to townships, shipped with the application.</summary>
public static class DivisionCatalogue
{
    public sealed record Entry(string Code, string Name);

    public sealed record County(Entry Province, Entry City, Entry Self, IReadOnlyList<Entry> Townships);

    public static County? Find(string countyCode)
    {
        var area = Read("areas").FirstOrDefault(r => r[0] == countyCode);
        if (area is null)
        {
            return null;
        }
        var city = Read("cities").First(r => r[0] == area[2]);
        var province = Read("provinces").First(r => r[0] == area[3]);
        var townships = Read("streets").Where(r => r[2] == countyCode).Select(r => new Entry(r[0], r[1])).OrderBy(e => e.Code).ToList();
        // Municipal districts are listed under a city called 市辖区; officials write the province's name instead.
        var cityName = city[1] == "市辖区" ? province[1] : city[1];
        return new County(new Entry(province[0], province[1]), new Entry(city[0], cityName), new Entry(area[0], area[1]), townships);
    }

    private static IEnumerable<string[]> Read(string name)
    {
        using var stream = typeof(DivisionCatalogue).Assembly.GetManifestResourceStream($"Baoxue.Divisions.{name}.csv")!;
        using var reader = new StreamReader(stream);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            yield return line.Split(',').Select(c => c.Trim('"')).ToArray();
        }
    }

    /// <summary>Adds the province, city, county and its townships (those not there yet); returns the county.</summary>
    public static async Task<Division> EnsureCountyAsync(BaoxueDb db, County county, CancellationToken ct = default)
    {
        var existing = await db.Divisions.IgnoreQueryFilters().ToDictionaryAsync(d => d.Code, ct);
        Division Ensure(Entry e, Division? parent, string? kind)
        {
            if (existing.TryGetValue(e.Code, out var d))
            {
                return d;
            }
            d = new Division
            {
                Code = e.Code,
                Name = e.Name,
                Level = Division.LevelOfCode(e.Code),
                ParentId = parent?.Id,
                Path = PlacePath.Child(parent?.Path ?? "", e.Code),
                Kind = kind,
            };
            db.Divisions.Add(d);
            existing[e.Code] = d;
            return d;
        }
        var province = Ensure(county.Province, null, null);
        var city = Ensure(county.City, province, null);
        var self = Ensure(county.Self, city, null);
        foreach (var t in county.Townships)
        {
            Ensure(t, self, TownshipKind(t));
        }
        await db.SaveChangesAsync(ct);
        return self;
    }

    /// <summary>The statistical code's 7th digit says what a township is: 0 街道, 1 镇, 2 乡, others development zones.</summary>
    public static string TownshipKind(Entry t) => t.Code[6] switch
    {
        '0' => "Subdistrict",
        '1' => "Town",
        '2' => "Township",
        _ => "Zone",
    };
}

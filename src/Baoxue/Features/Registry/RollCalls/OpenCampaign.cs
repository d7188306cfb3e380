using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Registry.RollCalls;

/// <summary>
/// The county opens a roll-call campaign (进班点名) for March or September of the current school year: one
/// return per class of that year in the county, created in the same save as the campaign.
/// </summary>
public static class OpenCampaign
{
    public sealed record Command(string? Title, int? Month, DateOnly? OpensOn, DateOnly? ClosesOn);

    public const int TitleLength = 100;

    /// <summary>The first day of the campaign month in a school year: September of its first year, March of its second.</summary>
    public static DateOnly MonthStart(int startYear, int month) => month == 9 ? new DateOnly(startYear, 9, 1) : new DateOnly(startYear + 1, 3, 1);

    public static async Task<Outcome<RollCallCampaign>> HandleAsync(BaoxueDb db, Command c, CancellationToken ct = default)
    {
        var errors = new List<FieldError>();
        var title = c.Title?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            errors.Add(new FieldError("Title", "Validation.Required", "Field.RollCallTitle"));
        }
        else if (title.Length > TitleLength)
        {
            errors.Add(new FieldError("Title", "Validation.TooLong", TitleLength));
        }
        if (c.Month is not (3 or 9))
        {
            errors.Add(new FieldError("Month", "RollCall.MonthRule"));
        }
        if (c.OpensOn is null)
        {
            errors.Add(new FieldError("OpensOn", "Validation.Required", "Field.RollCallOpensOn"));
        }
        if (c.ClosesOn is null)
        {
            errors.Add(new FieldError("ClosesOn", "Validation.Required", "Field.RollCallClosesOn"));
        }
        var year = await db.SchoolYears.AsNoTracking().FirstOrDefaultAsync(y => y.IsCurrent, ct);
        if (year is null)
        {
            errors.Add(new FieldError("SchoolYear", "RollCall.NoCurrentYear"));
        }
        else if (c is { Month: 3 or 9, OpensOn: { } opens, ClosesOn: { } closes })
        {
            var start = MonthStart(year.StartYear, c.Month.Value);
            if (opens.Year != start.Year || opens.Month != start.Month)
            {
                errors.Add(new FieldError("OpensOn", "RollCall.OpensInMonth", start.Year, start.Month));
            }
            if (closes < opens)
            {
                errors.Add(new FieldError("ClosesOn", "RollCall.ClosesBeforeOpens"));
            }
            else if (closes > year.EndDate)
            {
                errors.Add(new FieldError("ClosesOn", "RollCall.ClosesAfterYear"));
            }
        }
        var scope = db.ScopePath;
        var county = scope is null ? null : await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Path == scope && d.Level == DivisionLevel.County, ct);
        if (county is null)
        {
            errors.Add(new FieldError("Path", "RollCall.CountyOnly"));
        }
        else if (year is not null && c.Month is 3 or 9)
        {
            var existing = await db.RollCallCampaigns.AsNoTracking().Where(x => x.Path == county.Path && x.SchoolYearId == year.Id).Select(x => x.OpensOn).ToListAsync(ct);
            if (existing.Any(d => d.Month == c.Month))
            {
                errors.Add(new FieldError("Month", "RollCall.Duplicate", c.Month.Value));
            }
        }
        if (errors.Count > 0)
        {
            return Outcome<RollCallCampaign>.Invalid(errors);
        }

        var campaign = new RollCallCampaign
        {
            Title = title!,
            SchoolYearId = year!.Id,
            OpensOn = c.OpensOn!.Value,
            ClosesOn = c.ClosesOn!.Value,
            CreatedAt = db.Clock.GetUtcNow().UtcDateTime,
            Path = county!.Path,
        };
        var classes = await db.Classes.AsNoTracking()
            .Where(x => x.SchoolYearId == year.Id && x.Path.StartsWith(county.Path))
            .Select(x => new { x.Id, x.SchoolId, x.Path })
            .ToListAsync(ct);
        db.RollCallCampaigns.Add(campaign);
        db.RollCallReturns.AddRange(classes.Select(x => new RollCallReturn { CampaignId = campaign.Id, ClassId = x.Id, SchoolId = x.SchoolId, Path = x.Path }));
        using (db.AuditAsBatch("rollcall.open " + campaign.Id))
        {
            await db.SaveChangesAsync(ct);
        }
        return Outcome<RollCallCampaign>.Ok(campaign);
    }
}

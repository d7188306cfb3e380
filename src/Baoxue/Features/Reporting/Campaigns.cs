using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Baoxue.Infrastructure.Paging;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Reporting;

/// <summary>Phased campaigns (SUP-4): the county sets the phases and deadlines; each school marks its phases done; the county confirms or returns.</summary>
public static class Campaigns
{
    public const int TitleMax = 100;
    public const int TextMax = 1000;
    public const int NoteMax = 500;

    public sealed record Create(string? Title, string? Description, DateOnly? SelfCheckDue, DateOnly? CountyCheckDue, DateOnly? RectificationDue);
    public sealed record Mark(string? Note, int? Version);
    public sealed record Review(bool Confirm, string? Note, int? Version);

    /// <summary>A county opens a campaign: one progress line per active school of the county and phase.</summary>
    public static async Task<Outcome<Campaign>> CreateAsync(BaoxueDb db, Create c, CancellationToken ct = default)
    {
        var path = db.ScopePath;
        if (await ReportCommands.UnitAsync(db, path, ct) is not { Level: ReportLevel.County })
        {
            return Outcome<Campaign>.Refused("Title", "Reporting.Campaign.CountyOnly");
        }
        var errors = new List<FieldError>();
        var title = c.Title?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            errors.Add(new("Title", "Validation.Required", "Field.CampaignTitle"));
        }
        else if (title.Length > TitleMax)
        {
            errors.Add(new("Title", "Validation.TooLong", TitleMax));
        }
        var description = string.IsNullOrWhiteSpace(c.Description) ? null : c.Description.Trim();
        if (description is { Length: > TextMax })
        {
            errors.Add(new("Description", "Validation.TooLong", TextMax));
        }
        var dues = new (string Field, string Label, DateOnly? Due)[]
        {
            ("SelfCheckDue", "Field.SelfCheckDue", c.SelfCheckDue), ("CountyCheckDue", "Field.CountyCheckDue", c.CountyCheckDue), ("RectificationDue", "Field.RectificationDue", c.RectificationDue),
        };
        foreach (var (field, label, _) in dues.Where(d => d.Due is null))
        {
            errors.Add(new(field, "Validation.Required", label));
        }
        if (errors.Count == 0 && !(c.SelfCheckDue <= c.CountyCheckDue && c.CountyCheckDue <= c.RectificationDue))
        {
            errors.Add(new("CountyCheckDue", "Reporting.Campaign.PhasesInOrder"));
        }
        if (errors.Count > 0)
        {
            return Outcome<Campaign>.Invalid(errors);
        }
        var campaign = new Campaign { Title = title!, Description = description, CreatedAt = db.Clock.GetUtcNow().UtcDateTime, CreatedBy = db.CurrentUser.UserName, Path = path! };
        campaign.Phases.AddRange(Enum.GetValues<CampaignPhaseKind>().Select((k, i) => new CampaignPhase { CampaignId = campaign.Id, Kind = k, DueOn = dues[i].Due!.Value }));
        db.Campaigns.Add(campaign);
        var schools = await db.Schools.AsNoTracking().Where(s => s.Path.StartsWith(path!) && s.IsActive).Select(s => new { s.Id, s.Path }).ToListAsync(ct);
        foreach (var school in schools)
        {
            foreach (var phase in campaign.Phases)
            {
                db.CampaignProgress.Add(new CampaignProgress { CampaignId = campaign.Id, PhaseId = phase.Id, SchoolId = school.Id, Path = school.Path });
            }
        }
        return await db.SaveAsync(campaign, ct);
    }

    /// <summary>The school marks a phase done with a note: itself only, in order (the phase before confirmed).</summary>
    public static async Task<Outcome<CampaignProgress>> MarkAsync(BaoxueDb db, Guid progressId, Mark c, CancellationToken ct = default)
    {
        var progress = await db.CampaignProgress.Include(p => p.Phase).FirstOrDefaultAsync(p => p.Id == progressId, ct);
        if (progress?.Phase is not { } phase)
        {
            return Outcome<CampaignProgress>.Missing();
        }
        if (db.ScopePath != progress.Path)
        {
            return Outcome<CampaignProgress>.Refused("State", "Reporting.Campaign.OnlySchool");
        }
        if (c.Version is { } v && v != progress.Version)
        {
            return Outcome<CampaignProgress>.Conflicted();
        }
        var note = string.IsNullOrWhiteSpace(c.Note) ? null : c.Note.Trim();
        if (note is null)
        {
            return Outcome<CampaignProgress>.Invalid("Note", "Validation.Required", "Field.PhaseNote");
        }
        if (note.Length > NoteMax)
        {
            return Outcome<CampaignProgress>.Invalid("Note", "Validation.TooLong", NoteMax);
        }
        var previous = phase.Kind == CampaignPhaseKind.SelfCheck ? (PhaseState?)null : await db.CampaignProgress.AsNoTracking()
            .Where(p => p.CampaignId == progress.CampaignId && p.SchoolId == progress.SchoolId && p.Phase!.Kind == phase.Kind - 1).Select(p => (PhaseState?)p.State).FirstOrDefaultAsync(ct);
        if (!PhaseFlow.MayMark(progress.State, previous))
        {
            return Outcome<CampaignProgress>.Invalid("State", PhaseFlow.Allows(progress.State, PhaseTrigger.Mark) ? "Reporting.Campaign.PreviousFirst" : "Reporting.NotNow");
        }
        progress.State = PhaseFlow.TryNext(progress.State, PhaseTrigger.Mark)!.Value;
        progress.Note = note;
        progress.MarkedAt = db.Clock.GetUtcNow().UtcDateTime;
        progress.MarkedBy = db.CurrentUser.UserName;
        return await db.SaveAsync(progress, ct);
    }

    /// <summary>The county confirms a school's phase, or returns it with a note.</summary>
    public static async Task<Outcome<CampaignProgress>> ReviewAsync(BaoxueDb db, Guid progressId, Review c, CancellationToken ct = default)
    {
        var progress = await db.CampaignProgress.Include(p => p.Campaign).FirstOrDefaultAsync(p => p.Id == progressId, ct);
        if (progress?.Campaign is not { } campaign)
        {
            return Outcome<CampaignProgress>.Missing();
        }
        if (db.ScopePath != campaign.Path)
        {
            return Outcome<CampaignProgress>.Refused("State", "Reporting.Campaign.OnlyCounty");
        }
        if (c.Version is { } v && v != progress.Version)
        {
            return Outcome<CampaignProgress>.Conflicted();
        }
        var note = string.IsNullOrWhiteSpace(c.Note) ? null : c.Note.Trim();
        if (!c.Confirm && note is null)
        {
            return Outcome<CampaignProgress>.Invalid("Note", "Reporting.SayWhy");
        }
        if (note is { Length: > NoteMax })
        {
            return Outcome<CampaignProgress>.Invalid("Note", "Validation.TooLong", NoteMax);
        }
        if (PhaseFlow.TryNext(progress.State, c.Confirm ? PhaseTrigger.Confirm : PhaseTrigger.Return) is not { } next)
        {
            return progress.State is PhaseState.Confirmed or PhaseState.Returned ? Outcome<CampaignProgress>.Conflicted() : Outcome<CampaignProgress>.Invalid("State", "Reporting.NotNow");
        }
        progress.State = next;
        progress.ReviewNote = note;
        progress.ReviewedAt = db.Clock.GetUtcNow().UtcDateTime;
        progress.ReviewedBy = db.CurrentUser.UserName;
        return await db.SaveAsync(progress, ct);
    }
}

/// <summary>Campaign lists, the per-school grid and the summary the dashboard and the home page read.</summary>
public static class CampaignQueries
{
    public sealed record PhaseSummary(CampaignPhaseKind Kind, DateOnly DueOn, int Schools, int Marked, int Confirmed, int Overdue);

    public sealed record Summary(Guid Id, string Title, DateTime CreatedAt, IReadOnlyList<PhaseSummary> Phases);

    public sealed record Cell(Guid ProgressId, CampaignPhaseKind Kind, PhaseState State, string? Note, string? MarkedBy, DateTime? MarkedAt, string? ReviewNote, bool Overdue, int Version);

    public sealed record SchoolRow(Guid SchoolId, string School, IReadOnlyList<Cell> Cells);

    public sealed record Detail(Campaign Campaign, IReadOnlyList<PhaseSummary> Phases, IReadOnlyList<SchoolRow> Schools);

    /// <summary>Every campaign in reach with its progress per phase (the schools in the user's reach), newest first.</summary>
    public static async Task<PagedResult<Summary>> PageAsync(BaoxueDb db, PageRequest page, CancellationToken ct = default)
    {
        var query = db.Campaigns.AsNoTracking();
        var total = await query.CountAsync(ct);
        var campaigns = await query.OrderByDescending(c => c.CreatedAt).Skip(page.Skip).Take(page.PageSize).Include(c => c.Phases).ToListAsync(ct);
        return page.Of<Summary>(await SummariesAsync(db, campaigns, ct), total);
    }

    /// <summary>
    /// For the dashboard and the home page: the campaigns still running (a phase not yet confirmed everywhere), each
    /// phase's schools, marked, confirmed and overdue counts within the user's reach.
    /// </summary>
    public static async Task<IReadOnlyList<Summary>> RunningAsync(BaoxueDb db, CancellationToken ct = default)
    {
        var campaigns = await db.Campaigns.AsNoTracking().Include(c => c.Phases).OrderByDescending(c => c.CreatedAt).ToListAsync(ct);
        var all = await SummariesAsync(db, campaigns, ct);
        return [.. all.Where(s => s.Phases.Any(p => p.Confirmed < p.Schools))];
    }

    private static async Task<IReadOnlyList<Summary>> SummariesAsync(BaoxueDb db, List<Campaign> campaigns, CancellationToken ct)
    {
        var ids = campaigns.Select(c => c.Id).ToList();
        var counts = await db.CampaignProgress.AsNoTracking().Where(p => ids.Contains(p.CampaignId))
            .GroupBy(p => new { p.CampaignId, p.PhaseId, p.State }).Select(g => new { g.Key.CampaignId, g.Key.PhaseId, g.Key.State, N = g.Count() }).ToListAsync(ct);
        var today = db.County.Today;
        return [.. campaigns.Select(c => new Summary(c.Id, c.Title, c.CreatedAt, [.. c.Phases.OrderBy(p => p.Kind).Select(p =>
        {
            var of = counts.Where(x => x.PhaseId == p.Id).ToList();
            int N(params PhaseState[] states) => of.Where(x => states.Contains(x.State)).Sum(x => x.N);
            return new PhaseSummary(p.Kind, p.DueOn, of.Sum(x => x.N), N(PhaseState.Marked, PhaseState.Confirmed), N(PhaseState.Confirmed),
                today > p.DueOn ? N(PhaseState.Open, PhaseState.Returned) : 0);
        })]))];
    }

    public static async Task<Detail?> DetailAsync(BaoxueDb db, Guid id, CancellationToken ct = default)
    {
        var campaign = await db.Campaigns.AsNoTracking().Include(c => c.Phases).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null)
        {
            return null;
        }
        var summary = (await SummariesAsync(db, [campaign], ct))[0];
        var today = db.County.Today;
        var due = campaign.Phases.ToDictionary(p => p.Id, p => (p.Kind, p.DueOn));
        var rows = await db.CampaignProgress.AsNoTracking().Where(p => p.CampaignId == id)
            .Select(p => new { p.Id, p.PhaseId, p.SchoolId, School = p.School!.Name, p.State, p.Note, p.MarkedBy, p.MarkedAt, p.ReviewNote, p.Version }).ToListAsync(ct);
        var schools = rows.GroupBy(r => (r.SchoolId, r.School)).OrderBy(g => g.Key.School, PinyinOrder.Comparer)
            .Select(g => new SchoolRow(g.Key.SchoolId, g.Key.School, [.. g.Select(r => new Cell(r.Id, due[r.PhaseId].Kind, r.State, r.Note, r.MarkedBy, r.MarkedAt, r.ReviewNote,
                PhaseFlow.IsOverdue(r.State, due[r.PhaseId].DueOn, today), r.Version)).OrderBy(x => x.Kind)]));
        return new Detail(campaign, summary.Phases, [.. schools]);
    }
}

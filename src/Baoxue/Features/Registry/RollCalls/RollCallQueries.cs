using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Registry.RollCalls;

/// <summary>What the roll-call pages and API read: campaigns, progress per school and class, returns, anomalies.</summary>
public static class RollCallQueries
{
    /// <summary>Names in the order a Chinese class list uses (pinyin), the same on every database.</summary>
    public static readonly StringComparer NameOrder = PinyinOrder.Comparer;

    /// <summary>The students on a class's roll (在籍: in school or suspended), in roster order.</summary>
    public static async Task<List<Student>> RosterAsync(BaoxueDb db, Guid classId, CancellationToken ct = default, bool withGuardians = false)
    {
        var query = db.Students.AsNoTracking().Where(s => s.ClassId == classId && (s.Status == StudentStatus.InSchool || s.Status == StudentStatus.Suspended));
        if (withGuardians)
        {
            query = query.Include(s => s.Guardians);
        }
        var list = await query.ToListAsync(ct);
        return [.. list.OrderBy(s => s.NameKey, StringComparer.Ordinal).ThenBy(s => s.BirthDate).ThenBy(s => s.Id)];
    }

    public sealed record CampaignRow(Guid Id, string Title, int StartYear, DateOnly OpensOn, DateOnly ClosesOn, int Classes, int Confirmed, int Attested);

    /// <summary>
    /// Campaigns the user takes part in: the county's own, and for schools and classes those with a return in
    /// their reach (the campaign itself sits at the county, above them).
    /// </summary>
    public static async Task<List<CampaignRow>> CampaignsAsync(BaoxueDb db, CancellationToken ct = default)
    {
        var counts = await db.RollCallReturns.AsNoTracking()
            .GroupBy(r => new { r.CampaignId, r.State })
            .Select(g => new { g.Key.CampaignId, g.Key.State, Count = g.Count() })
            .ToListAsync(ct);
        var ids = counts.Select(c => c.CampaignId).Concat(await db.RollCallCampaigns.AsNoTracking().Select(c => c.Id).ToListAsync(ct)).Distinct().ToList();
        var campaigns = await db.RollCallCampaigns.IgnoreQueryFilters().AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(ct);
        var years = await db.SchoolYears.AsNoTracking().ToDictionaryAsync(y => y.Id, y => y.StartYear, ct);
        return [.. campaigns.OrderByDescending(c => c.OpensOn).ThenBy(c => c.Title, StringComparer.Ordinal).Select(c =>
        {
            var mine = counts.Where(x => x.CampaignId == c.Id).ToList();
            return new CampaignRow(c.Id, c.Title, years.GetValueOrDefault(c.SchoolYearId), c.OpensOn, c.ClosesOn,
                mine.Sum(x => x.Count), mine.Where(x => x.State != RollCallState.Open).Sum(x => x.Count), mine.Where(x => x.State == RollCallState.Attested).Sum(x => x.Count));
        })];
    }

    /// <summary>A campaign the user takes part in (see <see cref="CampaignsAsync"/>), or null.</summary>
    public static async Task<RollCallCampaign?> CampaignAsync(BaoxueDb db, Guid id, CancellationToken ct = default)
    {
        var visible = await db.RollCallCampaigns.AnyAsync(c => c.Id == id, ct) || await db.RollCallReturns.AnyAsync(r => r.CampaignId == id, ct);
        return visible ? await db.RollCallCampaigns.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) : null;
    }

    public sealed record ClassProgress(
        Guid ReturnId, Guid ClassId, Guid SchoolId, int Grade, int Number, RollCallState State,
        int Registered, int? InSchool, int OpenAnomalies, string? ConfirmedBy, DateTime? ConfirmedAt, string? PrincipalAttestedBy, DateTime? PrincipalAttestedAt)
    {
        /// <summary>Display names (张三) of who confirmed and attested; the *By fields are the accounts.</summary>
        public string? ConfirmedByName { get; init; } = ConfirmedBy;
        public string? PrincipalAttestedByName { get; init; } = PrincipalAttestedBy;

        public bool Consistent => InSchool == Registered;
    }

    public sealed record SchoolProgress(Guid SchoolId, string Code, string Name, IReadOnlyList<ClassProgress> Classes)
    {
        public int Total => Classes.Count;
        public int Confirmed => Classes.Count(c => c.State != RollCallState.Open);
        public int Attested => Classes.Count(c => c.State == RollCallState.Attested);
        public int OpenAnomalies => Classes.Sum(c => c.OpenAnomalies);
        public int Registered => Classes.Sum(c => c.Registered);
        /// <summary>Known once every class has confirmed.</summary>
        public int? InSchool => Classes.All(c => c.InSchool is not null) ? Classes.Sum(c => c.InSchool!.Value) : null;
        public bool Consistent => InSchool == Registered;
    }

    public sealed record Progress(RollCallCampaign Campaign, int StartYear, IReadOnlyList<SchoolProgress> Schools)
    {
        public int Total => Schools.Sum(s => s.Total);
        public int Confirmed => Schools.Sum(s => s.Confirmed);
        public int Attested => Schools.Sum(s => s.Attested);
        public int OpenAnomalies => Schools.Sum(s => s.OpenAnomalies);
    }

    /// <summary>Share of a total, as a whole percentage (0 when there is nothing to count).</summary>
    public static int Percent(int part, int total) => total == 0 ? 0 : (int)Math.Round(100.0 * part / total, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Per school and class: confirmation and attestation, open anomalies, and the two counts the check compares.
    /// In school = present + absent with reason + present but not on the roll. Registered = the roll at the check,
    /// less settled ghost enrolments (transferred out), plus settled split enrolments (enrolled here); before the
    /// class confirms, the registry's current roll.
    /// </summary>
    public static async Task<Progress?> ProgressAsync(BaoxueDb db, Guid campaignId, CancellationToken ct = default)
    {
        var campaign = await CampaignAsync(db, campaignId, ct);
        if (campaign is null)
        {
            return null;
        }
        var returns = await db.RollCallReturns.AsNoTracking().Where(r => r.CampaignId == campaignId)
            .Select(r => new { r.Id, r.ClassId, r.SchoolId, r.Class!.Grade, r.Class.Number, r.State, r.ConfirmedBy, r.ConfirmedAt, r.PrincipalAttestedBy, r.PrincipalAttestedAt })
            .ToListAsync(ct);
        var marks = await db.RollCallMarks.AsNoTracking().Where(m => m.Return!.CampaignId == campaignId)
            .GroupBy(m => new { m.ReturnId, m.Kind, Resolved = m.ResolvedAt != null })
            .Select(g => new { g.Key.ReturnId, g.Key.Kind, g.Key.Resolved, Count = g.Count() })
            .ToListAsync(ct);
        var live = await db.Students.AsNoTracking()
            .Where(s => s.ClassId != null && s.Class!.SchoolYearId == campaign.SchoolYearId && (s.Status == StudentStatus.InSchool || s.Status == StudentStatus.Suspended))
            .GroupBy(s => s.ClassId!.Value)
            .Select(g => new { ClassId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.ClassId, x => x.Count, ct);
        var schoolIds = returns.Select(r => r.SchoolId).Distinct().ToList();
        var schools = await db.Schools.IgnoreQueryFilters().AsNoTracking().Where(s => schoolIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var people = await Accounts.DisplayNames.LoadAsync(db, returns.SelectMany(r => new[] { r.ConfirmedBy, r.PrincipalAttestedBy }), ct);
        var startYear = await db.SchoolYears.AsNoTracking().Where(y => y.Id == campaign.SchoolYearId).Select(y => y.StartYear).FirstOrDefaultAsync(ct);

        var classes = returns.Select(r =>
        {
            var m = marks.Where(x => x.ReturnId == r.Id).ToList();
            int Count(RollCallMarkKind kind, bool? resolved = null) => m.Where(x => x.Kind == kind && (resolved is null || x.Resolved == resolved)).Sum(x => x.Count);
            var confirmed = r.State != RollCallState.Open;
            var roll = Count(RollCallMarkKind.Present) + Count(RollCallMarkKind.AbsentWithReason) + Count(RollCallMarkKind.NotInSchool);
            return new ClassProgress(r.Id, r.ClassId, r.SchoolId, r.Grade, r.Number, r.State,
                confirmed ? roll - Count(RollCallMarkKind.NotInSchool, true) + Count(RollCallMarkKind.PresentNotOnRoll, true) : live.GetValueOrDefault(r.ClassId),
                confirmed ? Count(RollCallMarkKind.Present) + Count(RollCallMarkKind.AbsentWithReason) + Count(RollCallMarkKind.PresentNotOnRoll) : null,
                Count(RollCallMarkKind.NotInSchool, false) + Count(RollCallMarkKind.PresentNotOnRoll, false),
                r.ConfirmedBy, r.ConfirmedAt, r.PrincipalAttestedBy, r.PrincipalAttestedAt)
            {
                ConfirmedByName = r.ConfirmedBy is null ? null : people.Of(r.ConfirmedBy),
                PrincipalAttestedByName = r.PrincipalAttestedBy is null ? null : people.Of(r.PrincipalAttestedBy),
            };
        });
        var bySchool = classes.GroupBy(c => c.SchoolId)
            .Select(g => new SchoolProgress(g.Key, schools[g.Key].Code, schools[g.Key].Name, [.. g.OrderBy(c => c.Grade).ThenBy(c => c.Number)]))
            .OrderBy(s => s.Code, StringComparer.Ordinal)
            .ToList();
        return new Progress(campaign, startYear, bySchool);
    }

    public sealed record Anomaly(
        Guid MarkId, Guid SchoolId, string School, Guid ClassId, int Grade, int Number, RollCallMarkKind Kind,
        Guid? StudentId, string Name, string? RegistryNumber, string? Reason, string? Resolution, DateTime? ResolvedAt);

    /// <summary>Ghost and split enrolments found by the campaign, open ones only unless asked; by school, class and name.</summary>
    public static async Task<List<Anomaly>> AnomaliesAsync(BaoxueDb db, Guid campaignId, bool includeResolved = false, CancellationToken ct = default)
    {
        var rows = await db.RollCallMarks.AsNoTracking()
            .Where(m => m.Return!.CampaignId == campaignId && (m.Kind == RollCallMarkKind.NotInSchool || m.Kind == RollCallMarkKind.PresentNotOnRoll))
            .Where(m => includeResolved || m.ResolvedAt == null)
            .Select(m => new
            {
                m.Id, m.Return!.SchoolId, School = m.Return.Class!.School!.Name, SchoolCode = m.Return.Class.School.Code, m.Return.ClassId, m.Return.Class.Grade, m.Return.Class.Number,
                m.Kind, m.StudentId, StudentName = m.Student == null ? null : m.Student.Name, RegistryNumber = m.Student == null ? null : m.Student.RegistryNumber,
                m.Name, m.Reason, m.Resolution, m.ResolvedAt,
            })
            .ToListAsync(ct);
        return [.. rows.OrderBy(r => r.SchoolCode, StringComparer.Ordinal).ThenBy(r => r.Grade).ThenBy(r => r.Number).ThenBy(r => r.StudentName ?? r.Name ?? "", NameOrder)
            .Select(r => new Anomaly(r.Id, r.SchoolId, r.School, r.ClassId, r.Grade, r.Number, r.Kind, r.StudentId, r.StudentName ?? r.Name ?? "", r.RegistryNumber is { } n ? db.Disclosure.RegistryNumber(n) : null, r.Reason, r.Resolution, r.ResolvedAt))];
    }

    public sealed record ReturnView(RollCallCampaign Campaign, RollCallReturn Return, SchoolClass Class, string SchoolName, int StartYear, List<Student> Roster)
    {
        /// <summary>Display names of who confirmed and attested the return.</summary>
        public Accounts.DisplayNames People { get; init; } = Accounts.DisplayNames.None;
    }

    /// <summary>One class's return with its roster and marks, or null when out of the user's reach.</summary>
    public static async Task<ReturnView?> ReturnAsync(BaoxueDb db, Guid campaignId, Guid classId, CancellationToken ct = default)
    {
        var ret = await db.RollCallReturns.AsNoTracking().Include(r => r.Marks).ThenInclude(m => m.Student).Include(r => r.Class).ThenInclude(c => c!.School)
            .FirstOrDefaultAsync(r => r.CampaignId == campaignId && r.ClassId == classId, ct);
        if (ret is null)
        {
            return null;
        }
        var campaign = await db.RollCallCampaigns.IgnoreQueryFilters().AsNoTracking().FirstAsync(c => c.Id == campaignId, ct);
        var startYear = await db.SchoolYears.AsNoTracking().Where(y => y.Id == ret.Class!.SchoolYearId).Select(y => y.StartYear).FirstOrDefaultAsync(ct);
        var roster = await RosterAsync(db, classId, ct);
        var people = await Accounts.DisplayNames.LoadAsync(db, [ret.ConfirmedBy, ret.PrincipalAttestedBy], ct);
        return new ReturnView(campaign, ret, ret.Class!, ret.Class!.School?.Name ?? "", startYear, roster) { People = people };
    }
}

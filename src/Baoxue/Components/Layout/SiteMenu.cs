using System.Security.Claims;
using Baoxue.Domain;
using Baoxue.Infrastructure.Security;

namespace Baoxue.Components.Layout;

/// <summary>
/// The side menu (a drawer on a phone), grouped by area. A new area or page is one line here; the menu shows a
/// user only the items their role's permission opens, the same rule the pages themselves declare.
/// </summary>
public static class SiteMenu
{
    /// <summary>One menu entry. <paramref name="Also"/> lists other address prefixes that belong to it (a class lives under its school).</summary>
    public sealed record Item(string Href, string LabelKey, string Permission, params string[] Also);

    /// <summary>An area of the menu: a heading and its items. A heading without any item the user may open is not shown.</summary>
    public sealed record Area(string LabelKey, IReadOnlyList<Item> Items);

    public static readonly Item Home = new("/", "Nav.Home", Domain.Permission.SignedIn);

    public static readonly IReadOnlyList<Area> Areas =
    [
        new("Rates.Area",
        [
            new("/rates", "Rates.Nav", Domain.Permission.RatesView, "/rates/figure"),
            new("/rates/targets", "Rates.TargetsNav", Domain.Permission.RatesView),
            new("/rates/sets", "Rates.SetsNav", Domain.Permission.RatesView),
        ]),
        new("Layout.Area.Registry",
        [
            new("/students", "Layout.Nav.Students", Domain.Permission.RegistryView),
            new("/status-changes", "StatusChanges.Title", Domain.Permission.RegistryView),
            new("/status-changes/unconfirmed", "StatusChanges.Unconfirmed", Domain.Permission.RegistryView),
            new("/roll-calls", "Nav.RollCalls", Domain.Permission.RegistryView, "/classes/{id}/roster", "/classes/{id}/attendance-book"),
            new("/students/import", "Layout.Nav.Import", Domain.Permission.RegistryEdit),
        ]),
        new("Layout.Area.Ledger",
        [
            new("/ledger", "Nav.Ledger", Domain.Permission.LedgerView, "/ledger/entries", "/ledger/transfers", "/ledger/import"),
            new("/ledger/counts", "Nav.LedgerCounts", Domain.Permission.LedgerView),
            new("/ledger/new", "Nav.LedgerTip", Domain.Permission.LedgerReport),
            new("/casework", "Casework.Nav", Domain.Permission.CaseworkView, "/notices"),
        ]),
        new("Attendance.Area",
        [
            new("/attendance", "Attendance.ReportTitle", Domain.Permission.AttendanceView, "/attendance/classes/{id}"),
            new("/attendance/clocks", "Attendance.ClocksTitle", Domain.Permission.AttendanceView),
            new("/attendance/counts", "Counts.Title", Domain.Permission.AttendanceView),
            new("/attendance/leave", "Leave.Title", Domain.Permission.AttendanceView),
            new("/attendance/calendar", "Calendar.Title", Domain.Permission.AttendanceView),
            new("/attendance/holidays", "Holiday.Title", Domain.Permission.AttendanceView, "/attendance/holidays/plans/{id}", "/attendance/holidays/visits"),
            new("/attendance/return-check", "ReturnCheck.Title", Domain.Permission.AttendanceView, "/attendance/return-check/classes/{id}"),
        ]),
        new("Layout.Area.Reconciliation",
        [
            new("/reconciliation", "Nav.Reconciliation", Domain.Permission.ReconciliationView, "/reconciliation/children", "/reconciliation/results/{id}", "/reconciliation/reverse"),
            new("/reconciliation/queue", "Nav.ReconciliationQueue", Domain.Permission.ReconciliationView),
            new("/reconciliation/import", "Nav.HouseholdImport", Domain.Permission.HouseholdImport),
            new("/reconciliation/schools", "Nav.ReconciliationSchools", Domain.Permission.ReconciliationView),
            new("/reconciliation/transitions", "Nav.Transitions", Domain.Permission.ReconciliationView),
            new("/reconciliation/notices", "Nav.EntryNotices", Domain.Permission.ReconciliationView, "/reconciliation/notices/print"),
            new("/reconciliation/census", "Nav.Census", Domain.Permission.ReconciliationView, "/reconciliation/census/new"),
        ]),
        new("Reporting.Area",
        [
            new("/reports", "Reporting.Nav.Reports", Domain.Permission.ReportingView),
            new("/reports/overdue", "Reporting.Overdue.Title", Domain.Permission.ReportingView),
            new("/reports/tables", "Reporting.Table.Nav", Domain.Permission.ReportingView),
            new("/campaigns", "Reporting.Campaign.Title", Domain.Permission.CampaignsView),
        ]),
        new("Layout.Area.Organisation",
        [
            new("/divisions", "Nav.Divisions", Domain.Permission.OrgView),
            new("/schools", "Nav.Schools", Domain.Permission.OrgView, "/classes"),
            new("/school-years", "Nav.SchoolYears", Domain.Permission.OrgView),
            new("/staff", "Nav.Staff", Domain.Permission.StaffView),
            new("/departments", "Nav.Departments", Domain.Permission.DepartmentsView),
        ]),
        new("Layout.Area.System",
        [
            new("/accounts", "Nav.Accounts", Domain.Permission.AccountsManage),
            new("/accounts/provision", "Nav.Provision", Domain.Permission.AccountsManage, "/accounts/import"),
            new("/accounts/access", "Nav.Access", Domain.Permission.AccountsManage),
            new("/audit", "Nav.Audit", Domain.Permission.AuditView),
            new("/service-accounts", "Nav.ServiceAccounts", Domain.Permission.ServiceAccountsManage),
            new("/api-reference", "Nav.ApiReference", Domain.Permission.AccountsManage),
        ]),
    ];

    /// <summary>The areas as this user sees them: only items their role may open, only areas with at least one.</summary>
    public static IEnumerable<Area> For(ClaimsPrincipal user) =>
        Areas.Select(a => a with { Items = [.. a.Items.Where(i => user.Can(i.Permission))] }).Where(a => a.Items.Count > 0);

    /// <summary>
    /// The one item the page at <paramref name="path"/> belongs to: the longest address that is the path or a prefix of
    /// it at a "/" ("/status-changes/unconfirmed" over "/status-changes"); "{id}" in an address matches one segment.
    /// </summary>
    public static Item? Current(string path)
    {
        path = "/" + path.Split('?', '#')[0].Trim('/');
        Item? best = null;
        var bestLength = -1;
        foreach (var item in Areas.SelectMany(a => a.Items).Prepend(Home))
        {
            foreach (var href in item.Also.Prepend(item.Href))
            {
                var length = MatchLength(href, path);
                if (length > bestLength)
                {
                    (best, bestLength) = (item, length);
                }
            }
        }
        return best;
    }

    // Segments matched, or -1; "/" matches only the home page itself.
    private static int MatchLength(string pattern, string path)
    {
        if (pattern == "/")
        {
            return path == "/" ? 0 : -1;
        }
        var want = pattern.Trim('/').Split('/');
        var have = path.Trim('/').Split('/');
        if (have.Length < want.Length)
        {
            return -1;
        }
        for (var i = 0; i < want.Length; i++)
        {
            if (want[i] != "{id}" && !string.Equals(want[i], have[i], StringComparison.OrdinalIgnoreCase))
            {
                return -1;
            }
        }
        return want.Length;
    }
}

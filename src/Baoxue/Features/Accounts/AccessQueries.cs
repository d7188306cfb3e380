using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Accounts;

/// <summary>
/// Who has access (谁有权限): the accounts of the user's jurisdiction, per school or township, with role, last sign-in,
/// second factor, and whether each was never used or has gone unused for <see cref="AccountsOptions.UnusedDays"/> days.
/// One read for /accounts/access, GET /api/v1/accounts/access and its xlsx export.
/// </summary>
public static class AccessQueries
{
    public enum Usage
    {
        Active = 1,
        NeverUsed = 2,
        Unused = 3,
    }

    /// <param name="UnitId">a school or township (its accounts, and those below it)</param>
    /// <param name="Usage">only accounts never used, or unused (including never used)</param>
    public sealed record Filter(Guid? UnitId = null, Usage? Usage = null);

    public sealed record AccessRow(Guid Id, string UserName, string DisplayName, Role Role, string Unit, DateTime? LastSignInAt, bool TwoFactorEnabled, bool IsDisabled, bool MustChangePassword, Usage Usage);

    public sealed record Unit(Guid Id, string Name, string Path, bool IsSchool);

    /// <summary>The schools and townships of the user's jurisdiction, for the filter.</summary>
    public static async Task<List<Unit>> UnitsAsync(BaoxueDb db, CancellationToken ct = default)
    {
        var townships = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Township).OrderBy(d => d.Code).Select(d => new Unit(d.Id, d.Name, d.Path, false)).ToListAsync(ct);
        var schools = await db.Schools.AsNoTracking().OrderBy(s => s.Code).Select(s => new Unit(s.Id, s.Name, s.Path, true)).ToListAsync(ct);
        return [.. townships.Concat(schools).Where(u => db.Covers(u.Path))];
    }

    public static async Task<List<AccessRow>> ListAsync(BaoxueDb db, Filter f, int unusedDays, CancellationToken ct = default)
    {
        var units = await UnitsAsync(db, ct);
        var query = db.Users.AsNoTracking();
        if (f.UnitId is { } unitId)
        {
            var unit = units.FirstOrDefault(u => u.Id == unitId);
            var path = unit?.Path ?? PlacePath.Nothing;
            query = query.Where(u => u.Path.StartsWith(path));
        }
        var users = await query.Select(u => new { u.Id, u.UserName, u.DisplayName, u.Role, u.Path, u.LastSignInAt, u.TwoFactorEnabled, u.IsDisabled, u.MustChangePassword, u.CreatedAt }).ToListAsync(ct);
        // Counties, and the city and province above them for the accounts bound there.
        var county = await db.Divisions.AsNoTracking().Where(d => d.Level <= DivisionLevel.County).Select(d => new { d.Name, d.Path }).ToListAsync(ct);
        var departments = await db.Departments.AsNoTracking().Select(d => new { d.Name, d.Path }).ToListAsync(ct);
        // The account's unit is the deepest school or township (or department, or county) its place lies in.
        var named = units.Select(u => (u.Path, u.Name)).Concat(departments.Select(d => (d.Path, d.Name))).Concat(county.Select(c => (c.Path, c.Name)))
            .OrderByDescending(u => u.Path.Length).ToList();
        var cutoff = db.Clock.GetUtcNow().UtcDateTime.AddDays(-unusedDays);
        var rows = users.Select(u =>
        {
            var usage = u.LastSignInAt is null ? Usage.NeverUsed : u.LastSignInAt < cutoff ? Usage.Unused : Usage.Active;
            var unit = named.FirstOrDefault(n => PlacePath.IsWithin(u.Path, n.Path)).Name ?? "";
            return (Path: u.Path, Row: new AccessRow(u.Id, u.UserName!, u.DisplayName, u.Role, unit, u.LastSignInAt, u.TwoFactorEnabled, u.IsDisabled, u.MustChangePassword, usage));
        });
        rows = f.Usage switch
        {
            Usage.NeverUsed => rows.Where(r => r.Row.Usage == Usage.NeverUsed),
            Usage.Unused => rows.Where(r => r.Row.Usage != Usage.Active),
            Usage.Active => rows.Where(r => r.Row.Usage == Usage.Active),
            _ => rows,
        };
        return [.. rows.OrderBy(r => r.Path, StringComparer.Ordinal).ThenBy(r => r.Row.DisplayName, Registry.RollCalls.RollCallQueries.NameOrder).ThenBy(r => r.Row.UserName, StringComparer.Ordinal).Select(r => r.Row)];
    }

    public static async Task<PagedResult<AccessRow>> PageAsync(BaoxueDb db, Filter f, int unusedDays, PageRequest page, CancellationToken ct = default) =>
        page.Of(await ListAsync(db, f, unusedDays, ct));

    public static string[] Headers(IStringLocalizer text) =>
        [text["Account.UserName"], text["Account.DisplayName"], text["Account.Role"], text["Access.Unit"], text["Access.LastSignIn"], text["Account.TwoFactor"], text["Account.State"], text["Access.Usage"]];

    public static string?[] Cells(AccessRow r, IStringLocalizer text, Infrastructure.Time.CountyClock clock) =>
        [r.UserName, r.DisplayName, text["Role." + r.Role], r.Unit, r.LastSignInAt is { } at ? ChineseFormat.DateTimeLocal(at, clock.Zone) : text["Access.Never"],
            r.TwoFactorEnabled ? text["Common.Yes"] : text["Common.No"], r.IsDisabled ? text["Account.Disabled"] : text["Account.Active"], text["Access.Usage." + r.Usage]];

    /// <summary>The list as the page shows it for the same filter, streamed as xlsx; audited with its row count.</summary>
    public static XlsxDownload Export(BaoxueDb db, IStringLocalizer<Strings> text, Filter f, int unusedDays)
    {
        async IAsyncEnumerable<IReadOnlyList<string?>> Rows([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
        {
            foreach (var r in await ListAsync(db, f, unusedDays, ct))
            {
                yield return Cells(r, text, db.County);
            }
        }
        return new XlsxDownload(text["Access.File"], text["Access.Title"], [.. Headers(text).Select(h => new ExportColumn(h, null))], Rows(),
            async (count, ct) =>
            {
                db.Audit(AuditAction.Export, nameof(AppUser), f.UnitId?.ToString(), null, $"{{\"list\":\"access\",\"rows\":{count}}}");
                await db.SaveChangesAsync(ct);
            });
    }
}

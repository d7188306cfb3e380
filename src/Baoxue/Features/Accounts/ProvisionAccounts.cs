using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Accounts;

/// <summary>
/// Accounts from the staff list: for chosen people (or a whole school) the role and place each account would have,
/// inferred from the person's post and classes, shown for confirmation; then created in one step with random initial
/// passwords that must be changed at first sign-in. Each account is linked to its staff record (a subject teacher
/// sees the classes that record teaches).
/// </summary>
public static class ProvisionAccounts
{
    /// <param name="StaffIds">people chosen on the staff list</param>
    /// <param name="SchoolId">or every active person of a school (both may be given)</param>
    public sealed record Request(IReadOnlyList<Guid>? StaffIds = null, Guid? SchoolId = null);

    /// <summary>One person's account as it would be made; <see cref="Problem"/> (a string key) says why it will not be.</summary>
    public sealed record Proposal(Guid StaffId, string Name, string Post, string Unit, string UnitCode, Role Role, PlaceKind PlaceKind, Guid PlaceId, string PlaceName, string Path, string? Problem)
    {
        public bool WillCreate => Problem is null;
    }

    /// <summary>What goes on a sealed slip: who, the user name, the initial password (shown this once), and the unit it is filed under.</summary>
    public sealed record Slip(Guid AccountId, string Unit, string Name, string UserName, string InitialPassword, Role Role, string PlaceName);

    /// <summary>An account to make with a random initial password (provisioning and the account sheet).</summary>
    public sealed record NewAccount(string UserName, string DisplayName, Role Role, PlaceKind PlaceKind, Guid PlaceId, string Path, Guid? StaffId, string Unit, string PlaceName);

    public const int MaxPeople = 2000;

    public static async Task<List<Proposal>> PlanAsync(BaoxueDb db, Request request, CancellationToken ct = default)
    {
        var ids = request.StaffIds?.Distinct().Take(MaxPeople).ToList() ?? [];
        var query = db.Staff.AsNoTracking().Where(s => ids.Contains(s.Id) || (request.SchoolId != null && s.SchoolId == request.SchoolId && s.IsActive));
        var people = await query.Select(s => new
        {
            s.Id, s.Name, s.Post, s.Path, s.IsActive, s.SchoolId, s.DivisionId, s.DepartmentId,
            Unit = s.School != null ? s.School.Name : s.Department != null ? s.Department.Name : s.Division != null ? s.Division.Name : "",
            UnitCode = s.School != null ? s.School.Code : s.Division != null ? s.Division.Code : s.Department != null ? s.Department.Code : "",
            Level = s.Division != null ? (DivisionLevel?)s.Division.Level : null,
        }).OrderBy(s => s.Path).ThenBy(s => s.Id).Take(MaxPeople).ToListAsync(ct);
        var staffIds = people.Select(p => p.Id).ToList();
        var headOf = (await db.Classes.AsNoTracking().Where(c => c.HeadTeacherId != null && staffIds.Contains(c.HeadTeacherId.Value) && c.SchoolYear!.IsCurrent)
                .OrderBy(c => c.Grade).ThenBy(c => c.Number)
                .Select(c => new { TeacherId = c.HeadTeacherId!.Value, c.Id, c.Grade, c.Number, c.Path }).ToListAsync(ct))
            .GroupBy(c => c.TeacherId).ToDictionary(g => g.Key, g => g.First());
        var hasAccount = (await db.Users.IgnoreQueryFilters().Where(u => u.StaffId != null && staffIds.Contains(u.StaffId.Value)).Select(u => u.StaffId!.Value).ToListAsync(ct)).ToHashSet();
        var central = await db.Schools.IgnoreQueryFilters().Where(s => s.CentralSchoolId != null).Select(s => s.CentralSchoolId!.Value).Distinct().ToListAsync(ct);
        var actor = AccountTargets.ActorOf(db);

        var plan = new List<Proposal>();
        foreach (var p in people.OrderBy(p => p.Path, StringComparer.Ordinal).ThenBy(p => p.Name, Registry.RollCalls.RollCallQueries.NameOrder))
        {
            var (role, kind, placeId, placeName, path) = p switch
            {
                _ when p.SchoolId is { } school && headOf.TryGetValue(p.Id, out var c) => (Role.HeadTeacher, PlaceKind.Class, c.Id, p.Unit + " " + ChineseFormat.ClassName(c.Grade, c.Number), c.Path),
                _ when p.SchoolId is { } school && p.Post.Contains("学籍", StringComparison.Ordinal) => (Role.SchoolAdmin, PlaceKind.School, school, p.Unit, p.Path),
                _ when p.SchoolId is { } school => (Role.SubjectTeacher, PlaceKind.School, school, p.Unit, p.Path),
                _ when p.DepartmentId is { } dept => (Role.DepartmentLiaison, PlaceKind.Department, dept, p.Unit, p.Path),
                _ when p.Level == DivisionLevel.Village => (Role.VillageCadre, PlaceKind.Village, p.DivisionId!.Value, p.Unit, p.Path),
                _ when p.Level == DivisionLevel.Township => (Role.TownshipCadre, PlaceKind.Township, p.DivisionId!.Value, p.Unit, p.Path),
                _ => (Role.BureauStaff, PlaceKind.County, p.DivisionId ?? Guid.Empty, p.Unit, p.Path),
            };
            var atCentral = p.SchoolId is { } s && central.Contains(s);
            var problem = !p.IsActive ? "Provision.Inactive"
                : hasAccount.Contains(p.Id) ? "Provision.HasAccount"
                : !AccountRules.MayManage(actor, new AccountRules.Target(role, kind, path, atCentral)) ? "Provision.NotYours"
                : null;
            plan.Add(new Proposal(p.Id, p.Name, p.Post, p.Unit, p.UnitCode, role, kind, placeId, placeName, path, problem));
        }
        return plan;
    }

    /// <summary>Creates the accounts the plan would create, all or none; answers the slips.</summary>
    public static async Task<Outcome<List<Slip>>> CreateAsync(BaoxueDb db, UserManager<AppUser> users, Request request, CancellationToken ct = default)
    {
        var plan = (await PlanAsync(db, request, ct)).Where(p => p.WillCreate).ToList();
        if (plan.Count == 0)
        {
            return Outcome<List<Slip>>.Invalid("StaffIds", "Provision.NothingToCreate");
        }
        var names = new UserNames(db);
        var accounts = new List<NewAccount>();
        foreach (var p in plan)
        {
            accounts.Add(new NewAccount(await names.NextAsync(p.UnitCode, ct), p.Name, p.Role, p.PlaceKind, p.PlaceId, p.Path, p.StaffId, p.Unit, p.PlaceName));
        }
        return await CreateAllAsync(db, users, accounts, ct);
    }

    /// <summary>Makes each account with a new random initial password, in one transaction: all are made, or none.</summary>
    public static async Task<Outcome<List<Slip>>> CreateAllAsync(BaoxueDb db, UserManager<AppUser> users, IReadOnlyList<NewAccount> accounts, CancellationToken ct = default)
    {
        var slips = new List<Slip>();
        var now = db.Clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var a in accounts)
        {
            var password = InitialPassword.New();
            var user = new AppUser
            {
                UserName = a.UserName, DisplayName = a.DisplayName, Role = a.Role, PlaceKind = a.PlaceKind, PlaceId = a.PlaceId, Path = a.Path,
                StaffId = a.StaffId, MustChangePassword = true, CreatedAt = now,
            };
            var result = await users.CreateAsync(user, password);
            if (!result.Succeeded)
            {
                await transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                return Outcome<List<Slip>>.Invalid([.. result.Errors.Select(e => new FieldError("UserName", "Provision.Failed", a.UserName, e.Description))]);
            }
            slips.Add(new Slip(user.Id, a.Unit, a.DisplayName, a.UserName, password, a.Role, a.PlaceName));
        }
        await transaction.CommitAsync(ct);
        return Outcome<List<Slip>>.Ok(slips);
    }

    /// <summary>User names made from the unit's code and a running number (2135012303.007): typed from a slip, unique in the county.</summary>
    public sealed class UserNames(BaoxueDb db)
    {
        private readonly Dictionary<string, int> _next = new(StringComparer.Ordinal);

        public async Task<string> NextAsync(string unitCode, CancellationToken ct)
        {
            var prefix = (string.IsNullOrEmpty(unitCode) ? "user" : unitCode) + ".";
            if (!_next.TryGetValue(prefix, out var n))
            {
                var taken = await db.Users.IgnoreQueryFilters().Where(u => u.UserName!.StartsWith(prefix)).Select(u => u.UserName!).ToListAsync(ct);
                n = taken.Select(t => int.TryParse(t[prefix.Length..], out var k) ? k : 0).DefaultIfEmpty(0).Max() + 1;
            }
            _next[prefix] = n + 1;
            return prefix + n.ToString("000", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}

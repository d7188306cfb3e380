using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Demo;

/// <summary>
/// Delegated administration in the demo county: a school administrator for every school (<c>admin.&lt;school code&gt;</c>,
/// linked to the school's registrar on the staff list) and a township administrator for every township
/// (<c>admin.&lt;township code&gt;</c>), all with the demo password.
/// </summary>
public static class DemoAccounts
{
    public static string SchoolAdmin(string schoolCode) => "admin." + schoolCode;
    public static string TownshipAdmin(string townshipCode) => "admin." + townshipCode;

    public static async Task SeedAsync(SystemDb systemDb, IServiceProvider services, Infrastructure.Time.CountyClock clock, DemoOptions o, CancellationToken ct)
    {
        await using var db = systemDb.Open("demo");
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var now = clock.GetUtcNow().UtcDateTime;
        var schools = await db.Schools.OrderBy(s => s.Code).ToListAsync(ct);
        var townships = await db.Divisions.Where(d => d.Level == DivisionLevel.Township).OrderBy(d => d.Code).ToListAsync(ct);
        var registrars = await db.Staff.Where(s => s.SchoolId != null && s.Post == "学籍管理员").ToListAsync(ct);
        var accounts = new List<AppUser>();
        foreach (var s in schools)
        {
            var registrar = registrars.FirstOrDefault(r => r.SchoolId == s.Id);
            accounts.Add(New(SchoolAdmin(s.Code), registrar?.Name ?? s.Name + "管理员", Role.SchoolAdmin, PlaceKind.School, s.Id, s.Path, registrar?.Id));
        }
        foreach (var t in townships)
        {
            accounts.Add(New(TownshipAdmin(t.Code), t.Name + "管理员", Role.TownshipAdmin, PlaceKind.Township, t.Id, t.Path, null));
        }
        // One hash of the demo password for all of them: fifty key derivations would slow every start of the demo.
        var hash = users.PasswordHasher.HashPassword(accounts[0], o.Password);
        foreach (var a in accounts)
        {
            a.PasswordHash = hash;
            a.NormalizedUserName = users.NormalizeName(a.UserName);
            a.SecurityStamp = Guid.NewGuid().ToString("N");
            a.ConcurrencyStamp = Guid.NewGuid().ToString();
            a.LockoutEnabled = true;
        }
        using (db.AuditAsBatch("demo administrators"))
        {
            db.Users.AddRange(accounts);
            await db.SaveChangesAsync(ct);
        }

        AppUser New(string userName, string display, Role role, PlaceKind kind, Guid placeId, string path, Guid? staffId) => new()
        {
            UserName = userName, DisplayName = display, Role = role, PlaceKind = kind, PlaceId = placeId, Path = path, StaffId = staffId,
            IsDemo = true, CreatedAt = now,
        };
    }
}

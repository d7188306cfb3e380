using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Organisation.Divisions;
using Baoxue.Infrastructure.Auditing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Infrastructure;

/// <summary>
/// Administration from the shell, for what must work before anyone can sign in:
/// <c>admin create --county 350123 --user NAME [--name 显示名]</c> (again with another county: several share a deployment),
/// <c>admin create --city 3501 --user NAME</c> for a city's (or <c>--province 35</c>) administrator (the password from the environment variable
/// <c>BAOXUE_ADMIN_PASSWORD</c>, standard input, or a prompt — never the command line) and <c>audit verify</c>.
/// </summary>
public static class CommandLine
{
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        var words = args;
        if (words.Length < 2 || words[0] is not ("admin" or "audit"))
        {
            return false;
        }
        Environment.ExitCode = (words[0], words[1]) switch
        {
            ("admin", "create") => await CreateAdminAsync(app.Services, Options(words)),
            ("audit", "verify") => await VerifyAuditAsync(app.Services),
            _ => Usage(),
        };
        return true;
    }

    private static Dictionary<string, string> Options(string[] words)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 2; i + 1 < words.Length; i += 2)
        {
            options[words[i].TrimStart('-')] = words[i + 1];
        }
        return options;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("Usage: admin create --county <6-digit code> --user <name> [--name <display name>]");
        Console.Error.WriteLine("       admin create --city <4-digit code> | --province <2-digit code> --user <name> [--name <display name>]");
        Console.Error.WriteLine("       (password from BAOXUE_ADMIN_PASSWORD, or one line on standard input, or typed at the prompt)");
        Console.Error.WriteLine("       audit verify");
        return 2;
    }

    private static async Task<int> CreateAdminAsync(IServiceProvider services, Dictionary<string, string> o)
    {
        if (o.ContainsKey("password"))
        {
            // On the command line a password lands in shell history and in every `ps` listing.
            Console.Error.WriteLine("--password is no longer accepted: set BAOXUE_ADMIN_PASSWORD, pipe the password on standard input, or type it at the prompt.");
            return 2;
        }
        if (!o.TryGetValue("user", out var userName))
        {
            return Usage();
        }
        if (!o.ContainsKey("county"))
        {
            return o.TryGetValue("city", out var above) || o.TryGetValue("province", out above) ? await CreateRegionalAdminAsync(services, above, userName, o) : Usage();
        }
        var code = o["county"];
        var password = ReadPassword();
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("No password given.");
            return Usage();
        }
        var county = DivisionCatalogue.Find(code);
        if (county is null)
        {
            Console.Error.WriteLine($"County {code} is not in the division catalogue.");
            return 1;
        }
        Division place;
        await using (var db = services.GetRequiredService<SystemDb>().Open("admin-command"))
        {
            place = await DivisionCatalogue.EnsureCountyAsync(db, county);
        }
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser
        {
            UserName = userName,
            DisplayName = o.GetValueOrDefault("name") ?? userName,
            Role = Role.CountyAdmin,
            PlaceKind = PlaceKind.County,
            PlaceId = place.Id,
            Path = place.Path,
            CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
            {
                Console.Error.WriteLine(e.Description);
            }
            return 1;
        }
        Console.WriteLine($"Created county administrator '{userName}' for {county.Self.Name} ({code}). A second factor is asked for at first sign-in.");
        return 0;
    }

    /// <summary>
    /// A city's or province's administrator (decision 0026), for a place already brought in by a county below it: it then
    /// creates each county's administrator in the application.
    /// </summary>
    private static async Task<int> CreateRegionalAdminAsync(IServiceProvider services, string code, string userName, Dictionary<string, string> o)
    {
        var level = code.Length switch { 2 => DivisionLevel.Province, 4 => DivisionLevel.City, _ => (DivisionLevel?)null };
        Division? place = null;
        if (level is not null)
        {
            await using var db = services.GetRequiredService<SystemDb>().Open("admin-command");
            place = await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == code && d.Level == level);
        }
        if (place is null)
        {
            Console.Error.WriteLine($"No city or province {code} yet: create a county below it first (admin create --county <code> ...).");
            return 1;
        }
        var password = ReadPassword();
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("No password given.");
            return Usage();
        }
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser
        {
            UserName = userName,
            DisplayName = o.GetValueOrDefault("name") ?? userName,
            Role = Role.RegionalAdmin,
            PlaceKind = level == DivisionLevel.City ? PlaceKind.City : PlaceKind.Province,
            PlaceId = place.Id,
            Path = place.Path,
            CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
            {
                Console.Error.WriteLine(e.Description);
            }
            return 1;
        }
        Console.WriteLine($"Created the administrator '{userName}' for {place.Name} ({code}). A second factor is asked for at first sign-in.");
        return 0;
    }

    private static string? ReadPassword()
    {
        if (Environment.GetEnvironmentVariable("BAOXUE_ADMIN_PASSWORD") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine()?.TrimEnd('\r');
        }
        Console.Write("Password: ");
        var first = ReadHidden();
        Console.Write("Again: ");
        return first == ReadHidden() ? first : null;
    }

    private static string ReadHidden()
    {
        var typed = new System.Text.StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
        Console.WriteLine();
        return typed.ToString();
    }

    private static async Task<int> VerifyAuditAsync(IServiceProvider services)
    {
        await using var db = services.GetRequiredService<SystemDb>().Open("audit-verify");
        var verdict = await AuditChain.VerifyAsync(db, services.GetRequiredService<AuditCheckpoint>());
        if (verdict.FirstBrokenSequence is { } broken)
        {
            Console.Error.WriteLine(verdict.HeadProblem is { } head
                ? $"Audit chain BROKEN: newest lines removed ({head}); the chain ends at line {verdict.Checked}."
                : $"Audit chain BROKEN at line {broken} (checked {verdict.Checked} lines).");
            return 1;
        }
        Console.WriteLine($"Audit chain intact: {verdict.Checked} lines.");
        return 0;
    }
}

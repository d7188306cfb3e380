using System.Diagnostics;
using System.Reflection;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Features.Accounts;

/// <summary>
/// <c>admin create</c>: how a county with no accounts gets its first administrator, run as the operator
/// would run it — the built application as a child process over a fresh SQLite file.
/// </summary>
public sealed class AdminCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("baoxue-admin-").FullName;
    private string DatabaseFile => Path.Combine(_folder, "baoxue.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>src/Baoxue/bin/&lt;the configuration these tests were built with&gt;/net10.0.</summary>
    private static string AppFolder()
    {
        var configuration = typeof(AdminCommandTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Baoxue.slnx")))
        {
            root = root.Parent;
        }
        Assert.True(root is not null, $"No Baoxue.slnx above {AppContext.BaseDirectory}");
        var folder = Path.Combine(root.FullName, "src", "Baoxue", "bin", configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(folder, "Baoxue.dll")), $"The application is not built at {folder}");
        return folder;
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => RunWithPasswordAsync(null, null, arguments);

    /// <param name="input">Typed on standard input (piped), or null.</param>
    /// <param name="environmentPassword">BAOXUE_ADMIN_PASSWORD, or null.</param>
    private async Task<(int ExitCode, string Output)> RunWithPasswordAsync(string? input, string? environmentPassword, params string[] arguments)
    {
        var folder = AppFolder();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(folder, "Baoxue.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["ConnectionStrings__Baoxue"] = $"Data Source={DatabaseFile}";
        start.Environment["Demo__Enabled"] = "false";
        start.Environment.Remove("BAOXUE_ADMIN_PASSWORD");
        if (environmentPassword is not null)
        {
            start.Environment["BAOXUE_ADMIN_PASSWORD"] = environmentPassword;
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteLineAsync(input);
        }
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // A guard against a hung child, not a measurement: the command normally ends in seconds.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("admin create did not finish: " + await output + await error);
        }
        return (process.ExitCode, await output + await error);
    }

    private BaoxueDb OpenDatabase()
    {
        var options = new DbContextOptionsBuilder<BaoxueDb>();
        DatabaseSetup.Configure(options, "Sqlite", $"Data Source={DatabaseFile}", _folder);
        return new BaoxueDb(options.Options, new SystemUser(), TimeProvider.System);
    }

    [Fact]
    public async Task Admin_create_makes_the_first_county_administrator_and_nothing_else()
    {
        var (exitCode, output) = await RunWithPasswordAsync("Luoyuan#2026", null, "admin", "create", "--county", "350123", "--user", "firstadmin", "--name", "张管理");

        Assert.True(exitCode == 0, output);
        Assert.Contains("firstadmin", output);

        await using var db = OpenDatabase();
        var county = await db.Divisions.SingleAsync(d => d.Code == "350123");
        Assert.Equal("罗源县", county.Name);
        Assert.Equal(DivisionLevel.County, county.Level);
        var townships = await db.Divisions.Where(d => d.ParentId == county.Id).ToListAsync();
        Assert.Equal(12, townships.Count);
        Assert.All(townships, t => Assert.Equal(DivisionLevel.Township, t.Level));
        Assert.Contains(townships, t => t.Code == "350123100" && t.Name == "凤山镇");
        Assert.Contains(townships, t => t.Code == "350123203" && t.Name == "霍口畲族乡");

        var user = Assert.Single(await db.Users.IgnoreQueryFilters().ToListAsync());
        Assert.Equal("firstadmin", user.UserName);
        Assert.Equal("张管理", user.DisplayName);
        Assert.Equal(Role.CountyAdmin, user.Role);
        Assert.False(user.IsDemo);
        Assert.False(user.IsDisabled);
        Assert.False(user.TwoFactorEnabled);
        Assert.Equal(PlaceKind.County, user.PlaceKind);
        Assert.Equal(county.Id, user.PlaceId);
        Assert.Equal(county.Path, user.Path);
        Assert.False(string.IsNullOrEmpty(user.PasswordHash));
        Assert.DoesNotContain(user.PasswordHash, "Luoyuan#2026");

        // No demo county: no demo accounts, schools, villages or departments.
        Assert.DoesNotContain(DemoSeeder.Accounts, a => a.UserName == user.UserName);
        Assert.Empty(await db.Schools.IgnoreQueryFilters().ToListAsync());
        Assert.Empty(await db.Departments.IgnoreQueryFilters().ToListAsync());
        Assert.False(await db.Divisions.AnyAsync(d => d.Level == DivisionLevel.Village));
    }

    [Fact]
    public async Task Admin_create_adds_a_second_county_under_the_same_city_and_then_the_citys_administrator()
    {
        // Above the county (issue 12): 闽侯县 beside 罗源县, both under 福州市 and 福建省 — one city, one province.
        Assert.Equal(0, (await RunWithPasswordAsync(null, "Luoyuan#2026", "admin", "create", "--county", "350123", "--user", "luoyuan")).ExitCode);
        var (refused, early) = await RunWithPasswordAsync(null, "Fuzhou#2026", "admin", "create", "--city", "3502", "--user", "xiamen");
        Assert.True(refused != 0, early);
        var (second, output) = await RunWithPasswordAsync(null, "Minhou#2026", "admin", "create", "--county", "350121", "--user", "minhou");
        Assert.True(second == 0, output);
        var (city, cityOutput) = await RunWithPasswordAsync(null, "Fuzhou#2026", "admin", "create", "--city", "3501", "--user", "fuzhou", "--name", "市管理员");
        Assert.True(city == 0, cityOutput);

        await using var db = OpenDatabase();
        var divisions = await db.Divisions.Where(d => d.Level <= DivisionLevel.County).OrderBy(d => d.Code).ToListAsync();
        Assert.Equal(["35", "3501", "350121", "350123"], divisions.Select(d => d.Code));
        Assert.Equal(["35/", "35/3501/", "35/3501/350121/", "35/3501/350123/"], divisions.Select(d => d.Path));
        Assert.Equal(16, await db.Divisions.CountAsync(d => d.Level == DivisionLevel.Township && d.Path.StartsWith("35/3501/350121/")));
        var users = await db.Users.IgnoreQueryFilters().OrderBy(u => u.UserName).ToListAsync();
        Assert.Equal(["fuzhou", "luoyuan", "minhou"], users.Select(u => u.UserName));
        var fuzhou = users[0];
        Assert.Equal((Role.RegionalAdmin, PlaceKind.City, "35/3501/"), (fuzhou.Role, fuzhou.PlaceKind, fuzhou.Path));
        Assert.Equal(("35/3501/350121/", Role.CountyAdmin), (users[2].Path, users[2].Role));
    }

    [Fact]
    public async Task Admin_create_with_an_unknown_county_code_fails_and_creates_no_account()
    {
        var (exitCode, output) = await RunWithPasswordAsync(null, "Luoyuan#2026", "admin", "create", "--county", "999999", "--user", "firstadmin");

        Assert.True(exitCode != 0, output);
        Assert.Contains("999999", output);
        await using var db = OpenDatabase();
        Assert.Empty(await db.Users.IgnoreQueryFilters().ToListAsync());
        Assert.Empty(await db.Divisions.ToListAsync());
    }

    [Fact]
    public async Task Admin_create_with_a_weak_password_fails_with_the_reason_and_creates_no_account()
    {
        var (exitCode, output) = await RunWithPasswordAsync(null, "password1", "admin", "create", "--county", "350123", "--user", "firstadmin");

        Assert.True(exitCode != 0, output);
        Assert.Contains("至少三类", output);
        await using var db = OpenDatabase();
        Assert.Empty(await db.Users.IgnoreQueryFilters().ToListAsync());
    }

    [Fact]
    public async Task Admin_create_without_a_password_shows_the_usage_and_fails()
    {
        var (exitCode, output) = await RunAsync("admin", "create", "--county", "350123", "--user", "firstadmin");

        Assert.True(exitCode != 0, output);
        Assert.Contains("Usage: admin create", output);
    }

    [Fact]
    public async Task Admin_create_refuses_a_password_on_the_command_line_and_creates_nothing()
    {
        var (exitCode, output) = await RunAsync("admin", "create", "--county", "350123", "--user", "firstadmin", "--password", "Luoyuan#2026");

        Assert.True(exitCode != 0, output);
        Assert.Contains("BAOXUE_ADMIN_PASSWORD", output);
        await using var db = OpenDatabase();
        Assert.Empty(await db.Users.IgnoreQueryFilters().ToListAsync());
    }

    [Fact]
    public async Task Admin_create_takes_the_password_from_the_environment()
    {
        var (exitCode, output) = await RunWithPasswordAsync(null, "Luoyuan#2026", "admin", "create", "--county", "350123", "--user", "envadmin");

        Assert.True(exitCode == 0, output);
        await using var db = OpenDatabase();
        var user = Assert.Single(await db.Users.IgnoreQueryFilters().ToListAsync());
        Assert.Equal("envadmin", user.UserName);
    }
}

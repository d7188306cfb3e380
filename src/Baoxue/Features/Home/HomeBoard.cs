using System.Security.Claims;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Home;

/// <summary>
/// Something the user has to do: a string-table label, how many are waiting, and where to do them; the earliest due date
/// and whether it has passed, when the work has one.
/// </summary>
public sealed record HomeTask(string Key, int Count, string Link, DateOnly? Due = null, bool Overdue = false);

/// <summary>One figure on a tile: a string-table label (or <see cref="Label"/> when the text comes from data), a value, a link.</summary>
public sealed record HomeFigure(string Key, long Value, string? Link = null, string? Label = null);

/// <summary>A card of figures on the home page ("how are we doing"): a string-table title, its figures, where to read more.</summary>
public sealed record HomeTile(string Key, IReadOnlyList<HomeFigure> Figures, string? Link = null, string? Subtitle = null);

/// <summary>Who is asking: the database is the request's scoped <see cref="BaoxueDb"/>, so every count is the user's jurisdiction.</summary>
public sealed record HomeContext(BaoxueDb Db, ClaimsPrincipal User);

/// <summary>
/// A feature's pending work on the home page. Register with <c>services.AddScoped&lt;ITaskSource, …&gt;()</c>; sources are
/// asked in <see cref="Order"/> and must check the user's permissions themselves (answer nothing when the user may not act).
/// </summary>
public interface ITaskSource
{
    int Order { get; }
    Task<IReadOnlyList<HomeTask>> TasksAsync(HomeContext home, CancellationToken ct);
}

/// <summary>A feature's figures on the home page; null when the user may not see them.</summary>
public interface IHomeTile
{
    int Order { get; }
    Task<HomeTile?> BuildAsync(HomeContext home, CancellationToken ct);
}

/// <summary>What the home page and <c>GET /api/v1/home</c> show: the user's place, the tasks with work waiting, the tiles.</summary>
public sealed class HomeBoard(IEnumerable<ITaskSource> taskSources, IEnumerable<IHomeTile> tileSources)
{
    public sealed record Board(string Place, IReadOnlyList<HomeTask> Tasks, IReadOnlyList<HomeTile> Tiles);

    public async Task<Board> BuildAsync(HomeContext home, CancellationToken ct = default)
    {
        // One after another: the sources share the request's DbContext.
        var tasks = new List<HomeTask>();
        foreach (var source in taskSources.OrderBy(s => s.Order))
        {
            tasks.AddRange((await source.TasksAsync(home, ct)).Where(t => t.Count > 0));
        }
        var tiles = new List<HomeTile>();
        foreach (var source in tileSources.OrderBy(s => s.Order))
        {
            if (await source.BuildAsync(home, ct) is { } tile)
            {
                tiles.Add(tile);
            }
        }
        var place = await HomeQueries.PlaceNameAsync(home.Db, home.User.FindFirst(BaoxueClaims.Path)?.Value ?? "", ct);
        return new Board(place, tasks, tiles);
    }

    /// <summary>How many things wait for the user: the count beside the menu, without the home page's figures.</summary>
    public async Task<int> TaskCountAsync(HomeContext home, CancellationToken ct = default)
    {
        var count = 0;
        foreach (var source in taskSources.OrderBy(s => s.Order))
        {
            count += (await source.TasksAsync(home, ct)).Sum(t => t.Count);
        }
        return count;
    }
}

/// <summary>The organisation counts every education-line user had on the home page before it grew tasks.</summary>
public sealed class OrganisationTile : IHomeTile
{
    public int Order => 900;

    public async Task<HomeTile?> BuildAsync(HomeContext home, CancellationToken ct)
    {
        var (db, user) = (home.Db, home.User);
        var figures = new List<HomeFigure>();
        if (user.Can(Permission.OrgView))
        {
            // Structural records are visible on the way up: a head teacher's own school counts, its neighbours do not.
            var scope = user.FindFirst(BaoxueClaims.Path)?.Value ?? "";
            figures.Add(new("Home.Schools", await db.Schools.CountAsync(s => s.IsActive && (s.Path.StartsWith(scope) || scope.StartsWith(s.Path)), ct), "/schools"));
            figures.Add(new("Home.Classes", await db.Classes.CountAsync(c => c.Path.StartsWith(scope) && c.SchoolYear!.IsCurrent, ct), "/schools"));
            figures.Add(new("Home.Villages", await db.Divisions.CountAsync(d => d.Path.StartsWith(scope) && d.Level == DivisionLevel.Village, ct), "/divisions"));
        }
        if (user.Can(Permission.StaffView))
        {
            figures.Add(new("Home.Staff", await db.Staff.CountAsync(s => s.IsActive, ct), "/staff"));
        }
        if (user.Can(Permission.DepartmentsView))
        {
            figures.Add(new("Home.Departments", await db.Departments.CountAsync(ct), "/departments"));
        }
        return figures.Count == 0 ? null : new HomeTile("Home.OrganisationTile", figures);
    }
}

public static class HomeSetup
{
    public static void AddHome(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<HomeBoard>();
        builder.Services.AddScoped<IHomeTile, OrganisationTile>();
    }

    public sealed record TaskDto(string Key, string Label, int Count, string Link, DateOnly? Due = null, bool Overdue = false);
    public sealed record FigureDto(string Key, string Label, long Value, string? Link);
    public sealed record TileDto(string Key, string Title, string? Subtitle, string? Link, IReadOnlyList<FigureDto> Figures);
    public sealed record HomeDto(string Place, IReadOnlyList<TaskDto> Tasks, IReadOnlyList<TileDto> Tiles);

    /// <summary><c>GET /api/v1/home</c>: the same tasks and figures as the home page, labels in the user's language.</summary>
    public static void MapHomeApi(this WebApplication app)
    {
        app.MapGet("/api/v1/home", async (HomeBoard board, BaoxueDb db, HttpContext http, Microsoft.Extensions.Localization.IStringLocalizer<Infrastructure.Localization.Strings> text, CancellationToken ct) =>
        {
            var b = await board.BuildAsync(new HomeContext(db, http.User), ct);
            return new HomeDto(b.Place,
                [.. b.Tasks.Select(t => new TaskDto(t.Key, text[t.Key], t.Count, t.Link, t.Due, t.Overdue))],
                [.. b.Tiles.Select(t => new TileDto(t.Key, text[t.Key], t.Subtitle, t.Link, [.. t.Figures.Select(f => new FigureDto(f.Key, f.Label ?? text[f.Key], f.Value, f.Link))]))]);
        }).WithTags("Home").RequireAuthorization(Permission.SignedIn);
    }
}

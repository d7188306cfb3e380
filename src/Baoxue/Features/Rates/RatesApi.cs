using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Rates;

/// <summary>Rates, prepared figures, snapshots and targets over HTTP, under /api/v1/rates: the same queries as the pages.</summary>
public static class RatesApi
{
    public sealed record PartDto(string Measure, string Dimension, long Value, string? List, string? Page);
    public sealed record RateDto(string Rate, string Name, string Formula, long Numerator, long Denominator, decimal? Percent, decimal Target, bool IsShort,
        IReadOnlyList<PartDto> Kept, IReadOnlyList<PartDto> Lost);
    public sealed record PlaceDto(string Path, string Code, string Name, int Depth, Guid? SchoolId);
    /// <summary>A place below, its counts and (where there is one) the API list of the children behind each.</summary>
    public sealed record ChildDto(PlaceDto Place, IReadOnlyList<RateDto> Rates, long Enrolled, long Ledger, long Cases, long Overdue,
        string? EnrolledList, string? LedgerList, string? CasesList, string? OverdueList);
    public sealed record CountDto(string Measure, string Dimension, long Value, string? List, string? Page);
    public sealed record TrendDto(Guid SetId, FigureSetKind Kind, DateOnly AsOf, IReadOnlyList<RateDto> Rates);
    public sealed record BoardDto(PlaceDto Place, FigureQueries.SetInfo Set, IReadOnlyList<RateDto> Rates, IReadOnlyList<CountDto> Counts,
        IReadOnlyList<ChildDto> Children, IReadOnlyList<TrendDto> Trend);
    public sealed record TargetDto(string Rate, string Name, decimal Percent, bool IsDefault, string? SetAt);
    public sealed record TargetBody(string? Path, string? Rate, decimal? Percent);
    public sealed record SnapshotBody(string? Note);

    public static PlaceDto ToDto(FigureQueries.Place p) => new(p.Path, p.Code, p.Name, p.Depth, p.SchoolId);

    public static RateDto ToDto(FigureQueries.RateFigure r, IReadOnlyDictionary<(string, string), long>? rows, FigureQueries.Place? place, string? scope, IStringLocalizer text)
    {
        var f = RateRules.Of(r.Rate);
        PartDto Part(RateRules.Part p)
        {
            var drill = place is null ? null : FigureLinks.For(place, scope, p.Measure, p.Dimension);
            return new PartDto(p.Measure, p.Dimension, rows?.GetValueOrDefault((p.Measure, p.Dimension)) ?? 0, drill?.Api, drill?.Page);
        }
        return new RateDto(r.Rate, text["Rate." + r.Rate], text["Rate.Formula." + r.Rate], r.Numerator, r.Denominator, r.Percent, r.Target, r.IsShort,
            rows is null ? [] : [.. f.Kept.Select(Part)], rows is null ? [] : [.. f.Lost.Select(Part)]);
    }

    public static async Task<IResult> BoardAsync(BaoxueDb db, string? path, DateOnly? asOf, Guid? set, IStringLocalizer<Strings> text, CancellationToken ct)
    {
        if (await FigureQueries.SetAsync(db, asOf, set, ct) is not { } figures)
        {
            return Results.NotFound();
        }
        var at = string.IsNullOrWhiteSpace(path) ? FigureQueries.HomePath(db) : path.Trim();
        if (await FigureQueries.BoardAsync(db, at, figures, ct) is not { } b)
        {
            return Results.NotFound();
        }
        var scope = db.CurrentUser.ScopePath;
        var rows = b.Counts.ToDictionary(c => (c.Measure, c.Dimension), c => c.Value);
        return Results.Ok(new BoardDto(ToDto(b.Place), b.Set,
            [.. b.Rates.Select(r => ToDto(r, rows, b.Place, scope, text))],
            [.. b.Counts.OrderBy(c => c.Measure, StringComparer.Ordinal).ThenBy(c => c.Dimension, StringComparer.Ordinal).Select(c =>
            {
                var drill = FigureLinks.For(b.Place, scope, c.Measure, c.Dimension);
                return new CountDto(c.Measure, c.Dimension, c.Value, drill?.Api, drill?.Page);
            })],
            [.. b.Children.Select(c => new ChildDto(ToDto(c.Place), [.. c.Rates.Select(r => ToDto(r, null, null, null, text))], c.Enrolled, c.Ledger, c.Cases, c.Overdue,
                FigureLinks.For(c.Place, scope, Measures.Enrolled, "")?.Api, FigureLinks.For(c.Place, scope, Measures.Ledger, "")?.Api,
                FigureLinks.For(c.Place, scope, Measures.Cases, "")?.Api, FigureLinks.For(c.Place, scope, Measures.Overdue, "")?.Api))],
            [.. b.Trend.Select(t => new TrendDto(t.SetId, t.Kind, t.AsOf, [.. t.Rates.Select(r => ToDto(r, null, null, null, text))]))]));
    }

    /// <summary>
    /// The dashboard as officials file it: one row for the place and one for each place below, with the rates (短 marked),
    /// the targets, and the counts; the place and the as-of date of the figures in the title; audited.
    /// </summary>
    public static async Task<IResult> ExportAsync(BaoxueDb db, string? path, DateOnly? asOf, Guid? set, IStringLocalizer<Strings> text, CancellationToken ct)
    {
        if (await FigureQueries.SetAsync(db, asOf, set, ct) is not { } figures
            || await FigureQueries.BoardAsync(db, string.IsNullOrWhiteSpace(path) ? FigureQueries.HomePath(db) : path.Trim(), figures, ct) is not { } b)
        {
            return Results.NotFound();
        }
        var counts = b.Counts.ToDictionary(c => (c.Measure, c.Dimension), c => c.Value);
        var own = new FigureQueries.ChildLine(b.Place, b.Rates, counts.GetValueOrDefault((Measures.Enrolled, "")),
            Enum.GetValues<Ledger.LedgerList>().Sum(l => counts.GetValueOrDefault((Measures.Ledger, Measures.Dim(("list", l))))),
            counts.GetValueOrDefault((Measures.Cases, "")), counts.GetValueOrDefault((Measures.Overdue, "")));
        List<ExportColumn> columns =
        [
            new(text["Rates.Col.Place"], 28), .. RateRules.All.Select(r => new ExportColumn(text["Rate." + r], 18)),
            new(text["Rates.Enrolled"], 12), new(text["Rates.OpenLedger"], 12), new(text["Rates.OpenCases"], 14), new(text["Rates.Overdue"], 12),
        ];
        IReadOnlyList<string?> Line(FigureQueries.ChildLine c) =>
        [
            c.Place.Name, .. c.Rates.Select(r => Pages.RatesBoard.Percent(r.Percent) + (r.IsShort ? text["Rates.ShortMark"].Value : "")),
            ChineseFormat.Number(c.Enrolled), ChineseFormat.Number(c.Ledger), ChineseFormat.Number(c.Cases), ChineseFormat.Number(c.Overdue),
        ];
        async IAsyncEnumerable<IReadOnlyList<string?>> Rows()
        {
            yield return [text["Rates.Col.Target"].Value, .. b.Rates.Select(r => Pages.RatesBoard.Percent(r.Target)), null, null, null, null];
            yield return Line(own);
            foreach (var c in b.Children)
            {
                yield return Line(c);
            }
            await Task.CompletedTask;
        }
        var title = text["Rates.ExportTitle", b.Place.Name, ChineseFormat.Date(b.Set.AsOf), text["FigureSetKind." + b.Set.Kind]].Value;
        return new XlsxDownload(title, title, columns, Rows(), async (n, token) =>
        {
            db.Audit(AuditAction.Export, nameof(FigureSet), b.Set.Id.ToString(), b.Place.Path, $"{{\"rows\":{n}}}");
            await db.SaveChangesAsync(token);
        });
    }

    public static async Task<IReadOnlyList<TargetDto>> TargetsAsync(BaoxueDb db, string path, IStringLocalizer text, CancellationToken ct)
    {
        var set = await FigureQueries.TargetsAsync(db, path, ct);
        return [.. RateRules.All.Select(rate =>
        {
            var at = set.Where(t => t.Key.Rate == rate).OrderByDescending(t => t.Key.Path.Length).Select(t => t.Key.Path).FirstOrDefault();
            return new TargetDto(rate, text["Rate." + rate], RateRules.TargetAt(rate, path, set), at is null, at);
        })];
    }

    public static void MapRatesApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/rates").WithTags("Rates");
        api.MapGet("", (string? path, DateOnly? asOf, Guid? set, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) => BoardAsync(db, path, asOf, set, text, ct))
            .RequireAuthorization(Permission.RatesView)
            .WithName("Rates_GetBoard").WithSummary("A place's rates against target, its counts, its child places and its trend, from prepared figures.");
        api.MapGet("/export", (string? path, DateOnly? asOf, Guid? set, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) => ExportAsync(db, path, asOf, set, text, ct))
            .RequireAuthorization(Permission.RatesView)
            .WithName("Rates_ExportBoard").WithSummary("A place's rates, targets and counts beside the places below, as xlsx.");
        api.MapGet("/sets", async (PageRequest page, BaoxueDb db, CancellationToken ct) =>
            {
                var q = db.FigureSets.AsNoTracking().Where(s => s.IsComplete).OrderByDescending(s => s.TakenAt);
                var items = await q.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
                return page.Of([.. items.Select(FigureQueries.Info)], await q.CountAsync(ct));
            })
            .RequireAuthorization(Permission.RatesView).Paged()
            .WithName("Rates_ListSets").WithSummary("The sets of figures: the current one and the frozen snapshots, newest first.");
        api.MapPost("/sets", async (SnapshotBody? body, FigureBuilder builder, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await RateCommands.SnapshotAsync(builder, db, FigureSetKind.OnDemand, body?.Note, ct), text, s => FigureQueries.Info(s)))
            .RequireAuthorization(Permission.RatesSnapshot)
            .WithName("Rates_TakeSnapshot").WithSummary("Freezes the figures now (a snapshot on demand).");
        api.MapPost("/recompute", async (FigureBuilder builder, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await RateCommands.SnapshotAsync(builder, db, FigureSetKind.Current, null, ct), text, s => FigureQueries.Info(s)))
            .RequireAuthorization(Permission.RatesSnapshot)
            .WithName("Rates_Recompute").WithSummary("Recomputes the current figures now.");
        api.MapGet("/targets", async (string? path, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                await FigureQueries.PlaceAsync(db, string.IsNullOrWhiteSpace(path) ? FigureQueries.HomePath(db) : path.Trim(), ct) is { } place
                    ? Results.Ok(await TargetsAsync(db, place.Path, text, ct))
                    : Results.NotFound())
            .RequireAuthorization(Permission.RatesView)
            .WithName("Rates_GetTargets").WithSummary("The targets that apply at a place (set there, above it, or the defaults).");
        api.MapPut("/targets", async (TargetBody body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await RateCommands.SetTargetAsync(db, new(body.Path, body.Rate, body.Percent), ct), text, t => new TargetDto(t.Rate, text["Rate." + t.Rate], t.Percent, false, t.Path)))
            .RequireAuthorization(Permission.RatesTargets)
            .WithName("Rates_SetTarget").WithSummary("Sets a rate's target for the own jurisdiction.");
    }
}

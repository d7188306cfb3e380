using System.Globalization;
using Baoxue.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Baoxue.Infrastructure.Paging;

/// <summary>
/// One page of a list as the API answers it: the items, how many match in all, which page of what size, and the
/// address of the next page (null on the last one) so a client can walk the whole list without knowing the rules.
/// </summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize, string? Next, bool TotalIsEstimate = false);

/// <summary>
/// The page a caller asks for: <c>page</c> from 1, <c>pageSize</c> 1..200 (default 50). Bound from the query string
/// of API calls and pages alike; a value outside the bounds is refused by <see cref="PagingFilter"/> before the
/// endpoint runs, so a list never skips an overflowing number of rows.
/// </summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 200;
    /// <summary>Far beyond any real list (200 × 1,000,000 rows) and far from overflowing an offset.</summary>
    public const int MaxPage = 1_000_000;

    /// <summary>Where the request came from, so the envelope can name the next page with the same filter.</summary>
    public string? Path { get; init; }
    public IReadOnlyList<KeyValuePair<string, string?>>? Query { get; init; }

    public int Skip => (Page - 1) * PageSize;

    public static PageRequest First(int pageSize = DefaultSize) => new(1, pageSize);

    /// <summary>A page from raw query values: empty means the default; anything unreadable or out of bounds is clamped (pages never fail on it).</summary>
    public static PageRequest Lenient(int? page, int? pageSize) =>
        new(Math.Clamp(page ?? 1, 1, MaxPage), Math.Clamp(pageSize ?? DefaultSize, 1, MaxSize));

    /// <summary>A page from a page's own query string, where a bad value falls back to the nearest acceptable one.</summary>
    public static PageRequest Parse(string? page, string? pageSize)
    {
        Read(page, out var p);
        Read(pageSize, out var s);
        return Lenient(p, s);
    }

    public static ValueTask<PageRequest> BindAsync(HttpContext context)
    {
        var query = context.Request.Query;
        Read(query["page"], out var page);
        Read(query["pageSize"], out var size);
        var request = Lenient(page, size) with
        {
            Path = context.Request.PathBase + context.Request.Path,
            Query = [.. query.Where(q => q.Key is not ("page" or "pageSize")).SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))],
        };
        return ValueTask.FromResult(request);
    }

    /// <summary>The Chinese (or English) reason a paging value is refused, or null when it is acceptable.</summary>
    public static string? Problem(string field, string? raw, IStringLocalizer<Strings> text)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }
        var (min, max) = field == "pageSize" ? (1, MaxSize) : (1, MaxPage);
        return Read(raw, out var value) && value >= min && value <= max ? null : text["Paging.OutOfRange", (field == "pageSize" ? text["Paging.PageSize"] : text["Paging.Page"]).Value, min, ChineseFormat.Number(max)].Value;
    }

    private static bool Read(string? raw, out int? value)
    {
        value = null;
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            value = n;
            return true;
        }
        return false;
    }

    public PagedResult<T> Of<T>(IReadOnlyList<T> items, int total)
    {
        string? next = null;
        if ((long)Page * PageSize < total && Path is not null)
        {
            var pairs = (Query ?? []).Append(new("page", (Page + 1).ToString(CultureInfo.InvariantCulture)))
                .Append(new("pageSize", PageSize.ToString(CultureInfo.InvariantCulture)));
            next = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Path, pairs);
        }
        return new PagedResult<T>(items, total, Page, PageSize, next);
    }

    /// <summary>Pages a list already in memory (lists sorted by pinyin in .NET, which no database orders the same way).</summary>
    public PagedResult<T> Of<T>(IReadOnlyList<T> all) => Of([.. all.Skip(Skip).Take(PageSize)], all.Count);
}

/// <summary>Marks an endpoint as paged, so the filter and the OpenAPI description know about page/pageSize.</summary>
public sealed class PagingMetadata;

public static class PagingEndpoints
{
    /// <summary>
    /// A paged list endpoint: <c>page</c> and <c>pageSize</c> out of bounds get 400 with a problem document naming the
    /// field in the user's language, before anything is read.
    /// </summary>
    public static RouteHandlerBuilder Paged(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var text = http.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
            var errors = new Dictionary<string, string[]>();
            foreach (var field in new[] { "page", "pageSize" })
            {
                if (PageRequest.Problem(field, http.Request.Query[field], text) is { } reason)
                {
                    errors[field] = [reason];
                }
            }
            return errors.Count > 0 ? Results.ValidationProblem(errors, title: text["Validation.Title"]) : await next(context);
        }).WithMetadata(new PagingMetadata());
}

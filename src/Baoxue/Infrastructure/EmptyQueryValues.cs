using Microsoft.AspNetCore.Http.Extensions;

namespace Baoxue.Infrastructure;

/// <summary>
/// A filter form left on "全部" submits <c>status=&amp;from=</c>; minimal APIs refuse an empty value for a nullable
/// enum, date or id (400) instead of reading it as "not given". Dropping empty query values once, before routing,
/// makes every list and export read them as absent, whichever link or form produced them.
/// </summary>
public static class EmptyQueryValues
{
    public static void UseEmptyQueryValuesAsAbsent(this WebApplication app) =>
        app.Use((context, next) =>
        {
            var request = context.Request;
            if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.QueryString.HasValue
                && request.Query.Any(q => q.Value.Any(string.IsNullOrEmpty)))
            {
                var kept = new QueryBuilder();
                foreach (var (key, values) in request.Query)
                {
                    foreach (var value in values.Where(v => !string.IsNullOrEmpty(v)))
                    {
                        kept.Add(key, value!);
                    }
                }
                request.QueryString = kept.ToQueryString();
            }
            return next(context);
        });
}

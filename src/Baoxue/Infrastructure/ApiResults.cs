using Baoxue.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Baoxue.Infrastructure;

public static class ApiResults
{
    /// <summary>400 naming one field, for refusals made before any use case runs (a page number out of range).</summary>
    public static IResult Refuse(FieldError error, IStringLocalizer<Strings> text) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [error.Field] = [text.Explain(error.Key, error.Args)] }, title: text["Validation.Title"]);

    /// <summary>200 with the value, 404 when out of reach, 400 with each field's reason in the interface language.</summary>
    public static IResult From<T>(Outcome<T> outcome, IStringLocalizer<Strings> text, Func<T, object> map)
    {
        if (outcome.NotFound)
        {
            return Results.NotFound();
        }
        if (outcome.Conflict)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: text["Integrity.Conflict"], type: "https://tools.ietf.org/html/rfc9110#section-15.5.10");
        }
        if (outcome.Forbidden)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: text.Explain(outcome.Errors[0].Key, outcome.Errors[0].Args),
                extensions: new Dictionary<string, object?> { ["errors"] = outcome.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => text.Explain(e.Key, e.Args)).ToArray()) });
        }
        if (!outcome.Succeeded)
        {
            var errors = outcome.Errors
                .GroupBy(e => e.Field)
                .ToDictionary(g => g.Key, g => g.Select(e => text.Explain(e.Key, e.Args)).ToArray());
            return Results.ValidationProblem(errors, title: text["Validation.Title"]);
        }
        return Results.Ok(map(outcome.Value!));
    }
}

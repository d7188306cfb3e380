using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Baoxue.Infrastructure.Security;

/// <summary>
/// A form on a page that changes something, with the permission it needs. A page's route policy admits its
/// readers; a form that writes (open a campaign, decide a stage, reveal an ID) declares its own policy here, so
/// the check happens before the page runs — where <c>AuthorizationMatrixTests</c> lists and calls it as
/// <c>POST /route#form</c> — and not inside the page's handler. A name ending in '*' covers the forms whose
/// names start with the rest ("current-*").
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class FormPolicyAttribute(string form, string policy) : Attribute
{
    public string Form { get; } = form;
    public string Policy { get; } = policy;

    public bool Covers(string handler) =>
        Form.EndsWith('*') ? handler.StartsWith(Form[..^1], StringComparison.Ordinal) : handler == Form;
}

public static class FormPolicies
{
    /// <summary>Authorizes a posted page form against its declared <see cref="FormPolicyAttribute"/>: 403 (or the sign-in page) when refused.</summary>
    public static void UseFormPolicies(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType
            && context.GetEndpoint()?.Metadata.GetOrderedMetadata<FormPolicyAttribute>() is { Count: > 0 } forms)
        {
            var posted = await context.Request.ReadFormAsync(context.RequestAborted);
            var handler = posted["_handler"].ToString();
            if (forms.FirstOrDefault(f => f.Covers(handler)) is { } form)
            {
                var result = await context.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(context.User, form.Policy);
                if (!result.Succeeded)
                {
                    if (context.User.Identity?.IsAuthenticated == true)
                    {
                        await context.ForbidAsync();
                    }
                    else
                    {
                        await context.ChallengeAsync();
                    }
                    return;
                }
            }
        }
        await next(context);
    });
}

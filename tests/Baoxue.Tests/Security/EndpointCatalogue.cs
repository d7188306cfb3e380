using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Baoxue.Tests.Security;

/// <summary>Every route the application answers, with its methods and the policy it declares.</summary>
public static class EndpointCatalogue
{
    public sealed record Route(string Method, string Pattern, string Policy);

    public const string Anonymous = "(anonymous)";
    public const string Undeclared = "(none)";

    public static List<Route> Read(IServiceProvider services)
    {
        var routes = new List<Route>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            // Static files of the UI framework and component libraries: public by nature.
            if (pattern.StartsWith("/_framework", StringComparison.Ordinal) || pattern.StartsWith("/_content", StringComparison.Ordinal)
                || endpoint.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor" || m.GetType().FullName?.Contains("StaticAssets", StringComparison.Ordinal) == true))
            {
                continue;
            }
            var policy = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
                ? Anonymous
                : endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null) ?? Undeclared;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            routes.AddRange(methods.Select(m => new Route(m, pattern, policy)));
            // A page's writing forms, each with its own policy (FormPolicyAttribute): "POST /route#form".
            routes.AddRange(endpoint.Metadata.GetOrderedMetadata<Baoxue.Infrastructure.Security.FormPolicyAttribute>()
                .Select(f => new Route("POST", pattern + "#" + f.Form, f.Policy)));
        }
        return [.. routes.Distinct().OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)];
    }
}

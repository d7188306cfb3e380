using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.OpenApi;
using Baoxue.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Baoxue.Tests.Api;

/// <summary>
/// The published API document: every endpoint follows the naming convention (so the document is complete without
/// anyone touching it), and the committed copy that the generated client is built from is the live document.
/// </summary>
public sealed class ApiDocumentTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    /// <summary>The committed document the test project's client is generated from.</summary>
    public static string SnapshotPath => Path.Combine(RepositoryRoot(), "tests", "Baoxue.Tests", "Api", "openapi-v1.json");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Baoxue.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Baoxue.slnx not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Every_API_endpoint_has_an_operationId_a_tag_a_summary_and_its_string()
    {
        var table = app.Services.GetRequiredService<TextTable>();
        var missing = new List<string>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => (e.RoutePattern.RawText ?? "").TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .ToList();
        Assert.True(endpoints.Count > 60, $"only {endpoints.Count} API endpoints found");
        foreach (var endpoint in endpoints)
        {
            var route = string.Join(",", endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]) + " /" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            if (name is null || !System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Z][A-Za-z]+_[A-Z][A-Za-z0-9]+$"))
            {
                missing.Add($"{route}: no .WithName(\"<Area>_<VerbThing>\") (has {name ?? "none"})");
                continue;
            }
            if (names.TryGetValue(name, out var other))
            {
                missing.Add($"{route}: operationId {name} is also {other}");
            }
            names[name] = route;
            if (string.IsNullOrWhiteSpace(endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary))
            {
                missing.Add($"{route} ({name}): no .WithSummary(\"<English summary>\")");
            }
            if (endpoint.Metadata.GetMetadata<ITagsMetadata>() is not { Tags.Count: > 0 })
            {
                missing.Add($"{route} ({name}): no .WithTags(\"<Area>\")");
            }
            var key = ApiDocument.OperationKey(name);
            if (table.Find(key, CultureInfo.GetCultureInfo("zh-CN")) is null || table.Find(key, CultureInfo.GetCultureInfo("en-US")) is null)
            {
                missing.Add($"{route} ({name}): no string {key} (zh-CN and en-US) in a Strings.*.tsv");
            }
        }
        Assert.True(missing.Count == 0, $"{missing.Count} API endpoint(s) break the convention (docs/decisions/0023):\n" + string.Join("\n", missing));
    }

    [Fact]
    public async Task The_committed_document_is_the_live_one()
    {
        using var anonymous = app.AnonymousClient();
        var live = await anonymous.GetStringAsync("/openapi/v1.json");
        if (Environment.GetEnvironmentVariable("BAOXUE_OPENAPI_OUT") is { Length: > 0 } copy)
        {
            // test.sh lints the document the app serves.
            await File.WriteAllTextAsync(copy, live);
        }
        if (Environment.GetEnvironmentVariable("BAOXUE_WRITE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(SnapshotPath, live);
        }
        var committed = await File.ReadAllTextAsync(SnapshotPath);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(live), JsonNode.Parse(committed)),
            "tests/Baoxue.Tests/Api/openapi-v1.json differs from the live document: regenerate it with\n"
            + "  BAOXUE_WRITE_OPENAPI=1 ./test.sh --filter FullyQualifiedName~ApiDocumentTests\n"
            + "and commit it (the generated client is built from it).");
    }

    [Fact]
    public async Task Operations_are_described_in_Chinese_secured_by_bearer_and_answer_problem_documents()
    {
        using var anonymous = app.AnonymousClient();
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty(ApiDocument.BearerScheme);
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var tags = root.GetProperty("tags").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("description").GetString()!);
        Assert.StartsWith("学生学籍", tags["Registry"]);
        Assert.StartsWith("服务账号", tags["ServiceAccounts"]);

        var problems = new List<string>();
        var operations = 0;
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                operations++;
                var op = operation.Value;
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (!op.TryGetProperty("operationId", out _) || !op.TryGetProperty("summary", out _) || !op.TryGetProperty("description", out _))
                {
                    problems.Add($"{where}: operationId, summary or description missing");
                }
                var responses = op.GetProperty("responses");
                var secured = op.TryGetProperty("security", out var security) && security.GetArrayLength() > 0;
                foreach (var status in secured ? new[] { "401", "403", "429" } : [])
                {
                    if (!responses.TryGetProperty(status, out var answer) || !answer.GetProperty("content").TryGetProperty(ApiDocument.ProblemContentType, out _))
                    {
                        problems.Add($"{where}: no {status} problem document");
                    }
                }
                // Sign-in operations document their own refusal (the OAuth one has the OAuth error shape).
                if (!responses.TryGetProperty("401", out _))
                {
                    problems.Add($"{where}: no 401");
                }
                if (path.Name.Contains('{', StringComparison.Ordinal) && !responses.TryGetProperty("404", out _))
                {
                    problems.Add($"{where}: no 404");
                }
            }
        }
        Assert.True(operations > 60, $"only {operations} operations");
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        var list = root.GetProperty("paths").GetProperty("/api/v1/students").GetProperty("get");
        Assert.Equal("Registry_ListStudents", list.GetProperty("operationId").GetString());
        Assert.Equal("学生名单（分页）", list.GetProperty("summary").GetString());
        Assert.Contains("List students (paged)", list.GetProperty("description").GetString());
        Assert.Contains("registry.view", list.GetProperty("description").GetString());
        var token = root.GetProperty("paths").GetProperty("/api/v1/oauth/token").GetProperty("post");
        Assert.Equal(0, token.GetProperty("security").GetArrayLength());
        Assert.Equal("client_credentials", token.GetProperty("requestBody").GetProperty("content").GetProperty("application/x-www-form-urlencoded").GetProperty("example").GetProperty("grant_type").GetString());
    }
}

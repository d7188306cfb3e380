using System.Globalization;
using System.Text;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Baoxue.Infrastructure.OpenApi;

/// <summary>
/// The published API document (<c>/openapi/v1.json</c>), completed from what every endpoint already declares: its
/// name (operationId), tag, English summary and policy. Chinese summaries come from the string table
/// (<c>Api.Op.&lt;operationId&gt;</c>), tag descriptions from <c>Api.Tag.&lt;tag&gt;</c>; the bearer scheme, the problem
/// documents and the rate-limit answer are added here, so a new endpoint needs nothing beyond the convention
/// (docs/decisions/0023).
/// </summary>
public static class ApiDocument
{
    public const string DocumentName = "v1";
    public const string BearerScheme = "bearer";
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "HttpValidationProblemDetails";
    public const string ProblemContentType = "application/problem+json";

    /// <summary>Key of an operation's summary in the string table.</summary>
    public static string OperationKey(string operationId) => $"Api.Op.{operationId}";

    /// <summary>Key of a tag's description in the string table.</summary>
    public static string TagKey(string tag) => $"Api.Tag.{tag}";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, OpenApiSchema> Named = new(StringComparer.Ordinal);

    /// <summary>
    /// A schema an endpoint describes by hand (e.g. a form), kept under a name in the components so generated clients
    /// name its type; referenced with <see cref="OpenApiSchemaReference"/>.
    /// </summary>
    public static OpenApiSchemaReference Schema(string name, OpenApiSchema schema, OpenApiDocument? document)
    {
        Named[name] = schema;
        return new OpenApiSchemaReference(name, document);
    }

    // Examples of the main request bodies, by operationId: what a department's developer copies first.
    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
        ["Registry_CreateStudent"] = """
            {"idNumber":"350123201605010012","name":"陈子轩","gender":"Male","birthDate":"2016-05-01","ethnicity":"01",
             "householdRegionCode":"350123","householdAddress":"福建省罗源县凤山镇某路1号","householdType":"Agricultural",
             "residence":"福建省罗源县凤山镇某路1号","classId":"0193a5e0-7c1d-7a2b-9e4f-1a2b3c4d5e6f","enrolledOn":"2022-09-01",
             "guardians":[{"relation":"Mother","name":"王秀英","phone":"13800138000","worksAway":false}],
             "tags":[{"kind":"LeftBehind"}]}
            """,
        ["StatusChanges_RequestChange"] = """
            {"kind":"TransferWithinCounty","studentId":"0193a5e0-7c1d-7a2b-9e4f-1a2b3c4d5e6f","reason":"随父母迁居",
             "effectiveOn":"2026-12-01","toClassId":"0193a5e0-7c1d-7a2b-9e4f-6f5e4d3c2b1a"}
            """,
        ["ServiceAccounts_CreateAccount"] = """
            {"name":"罗源县公安局户籍接口","placeKind":"County","placeId":"0193a5e0-7c1d-7a2b-9e4f-1a2b3c4d5e6f",
             "permissions":["registry.view","registry.edit"]}
            """,
    };

    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo(TextTable.Chinese);
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo(TextTable.English);

    public static void AddApiDocument(this WebApplicationBuilder builder) =>
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            // 3.0 rather than 3.1: what the client generators that departments use (NSwag, OpenAPI Generator) read best.
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            options.DescribePaging();
            // Enums inline: a nullable enum by reference is written "oneOf: [null, $ref]", which 3.0 cannot say.
            options.CreateSchemaReferenceId = type => type.Type.IsEnum || Nullable.GetUnderlyingType(type.Type)?.IsEnum == true
                ? null
                : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddSchemaTransformer((schema, context, _) =>
            {
                Simplify(schema, 0);
                DescribeEnum(schema, context.JsonTypeInfo.Type, context.ApplicationServices.GetRequiredService<TextTable>());
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                Complete(operation, context, context.ApplicationServices.GetRequiredService<TextTable>());
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, context, _) =>
            {
                Complete(document, context.ApplicationServices.GetRequiredService<TextTable>());
                return Task.CompletedTask;
            });
        });

    private static string Zh(TextTable table, string key) => table.Find(key, Chinese) ?? "";
    private static string? En(TextTable table, string key) => table.Find(key, English);

    private static void Complete(OpenApiOperation operation, OpenApiOperationTransformerContext context, TextTable table)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var id = metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName;
        var english = metadata.OfType<IEndpointSummaryMetadata>().LastOrDefault()?.Summary ?? operation.Summary;
        var own = metadata.OfType<IEndpointDescriptionMetadata>().LastOrDefault()?.Description;
        if (id is not null)
        {
            operation.OperationId = id;
            operation.Summary = table.Find(OperationKey(id), Chinese) ?? english;
        }
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var policy = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);

        var description = new StringBuilder();
        if (id is not null && (En(table, OperationKey(id)) ?? english) is { } en && en != operation.Summary)
        {
            description.Append(en);
        }
        if (!string.IsNullOrWhiteSpace(own))
        {
            Paragraph(description, own);
        }
        Paragraph(description, anonymous
            ? "无需登录。(No sign-in needed.)"
            : $"需要权限 (requires permission) `{policy ?? Domain.Permission.SignedIn}`；数据限于调用者的管辖范围 (limited to the caller's jurisdiction)。");
        operation.Description = description.ToString();

        if (!anonymous)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
        }
        else
        {
            operation.Security = [];
        }

        // An optional body (`Body? body`) comes out as "oneOf: [null, $ref]", which 3.0 cannot say (redocly's
        // nullable-type-sibling): say it as the schema itself in a body that is not required.
        foreach (var media in operation.RequestBody?.Content?.Values ?? [])
        {
            if (media.Schema is OpenApiSchema { OneOf: { Count: 2 } choices } && choices.Count(IsNullOnly) == 1)
            {
                media.Schema = choices.First(c => !IsNullOnly(c));
                if (operation.RequestBody is OpenApiRequestBody body)
                {
                    body.Required = false;
                }
            }
        }

        // An uploaded file in place ("string, binary"), not by reference: generators recognise a file only when they see it there.
        foreach (var media in operation.RequestBody?.Content?.Values ?? [])
        {
            if (media.Schema is OpenApiSchema { Properties: { } fields })
            {
                foreach (var (name, field) in fields.ToList())
                {
                    if (field is OpenApiSchemaReference { Reference.Id: "IFormFile" })
                    {
                        fields[name] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "Excel (.xlsx, .xls) 或 CSV 文件 (an Excel or CSV file)" };
                    }
                }
            }
        }

        if (id is not null && Examples.TryGetValue(id, out var example)
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true)
        {
            json.Example = System.Text.Json.Nodes.JsonNode.Parse(example);
        }

        operation.Responses ??= [];
        var method = context.Description.HttpMethod ?? "GET";
        var hasInput = (operation.Parameters?.Count ?? 0) > 0 || operation.RequestBody is not null;
        var write = !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);
        var pathParameters = context.Description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Path);
        var limited = !anonymous || metadata.OfType<EnableRateLimitingAttribute>().Any();

        if (hasInput || write)
        {
            Problem(operation, context.Document, "400", "请求有误：problem 文档的 errors 按字段列出中文原因。(Bad request: errors name each field with its reason.)", ValidationProblemSchema);
        }
        Problem(operation, context.Document, "401", "未登录或令牌已失效。(No valid bearer token.)");
        if (!anonymous)
        {
            Problem(operation, context.Document, "403", "无此权限，或记录不在管辖范围内。(Not permitted, or outside the caller's jurisdiction.)");
        }
        if (pathParameters)
        {
            Problem(operation, context.Document, "404", "记录不存在或不在管辖范围内。(No such record within reach.)");
        }
        if (write)
        {
            Problem(operation, context.Document, "409", "记录已被他人修改，请重新读取后再提交。(Changed by someone else meanwhile: read it again.)");
            Problem(operation, context.Document, "422", "内容无法处理，未作任何修改。(Refused as a whole; nothing was changed.)");
        }
        if (limited)
        {
            Problem(operation, context.Document, "429", "请求过于频繁，请稍后再试。(Too many requests: try again in a minute.)");
        }
    }

    private static bool IsNullOnly(IOpenApiSchema schema) =>
        schema is OpenApiSchema { Type: JsonSchemaType.Null } or OpenApiSchema { Enum: [null] };

    private static void Paragraph(StringBuilder text, string paragraph)
    {
        if (text.Length > 0)
        {
            text.Append("\n\n");
        }
        text.Append(paragraph);
    }

    private static void Problem(OpenApiOperation operation, OpenApiDocument? document, string status, string description, string schema = ProblemSchema)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemContentType] = new() { Schema = new OpenApiSchemaReference(schema, document) },
            },
        };
    }

    private static void Complete(OpenApiDocument document, TextTable table)
    {
        document.Info ??= new OpenApiInfo();
        document.Info.Title = "保学 Baoxue API";
        document.Info.Version = DocumentName;
        document.Info.Description = Zh(table, "Api.Info") + "\n\n" + En(table, "Api.Info");
        // Relative: the document is the same whichever address it is read from (and equals its committed snapshot).
        document.Servers = [new OpenApiServer { Url = "/", Description = Zh(table, "Api.Server") }];

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = Zh(table, "Api.Bearer") + "\n\n" + En(table, "Api.Bearer"),
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.Remove("IFormFile");
        foreach (var (name, schema) in Named)
        {
            document.Components.Schemas.TryAdd(name, schema);
        }
        document.Components.Schemas.TryAdd(ProblemSchema, ProblemDetailsSchema());
        document.Components.Schemas.TryAdd(ValidationProblemSchema, ValidationProblemDetailsSchema());

        foreach (var schema in document.Components.Schemas.Values.OfType<OpenApiSchema>())
        {
            Simplify(schema, 0);
        }
        foreach (var parameter in (document.Paths ?? []).SelectMany(p => p.Value.Operations ?? []).SelectMany(o => o.Value.Parameters ?? []))
        {
            if (parameter.Schema is OpenApiSchema schema)
            {
                Simplify(schema, 0);
            }
        }

        var used = (document.Paths ?? [])
            .SelectMany(p => p.Value.Operations ?? [])
            .SelectMany(o => o.Value.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Name)
            .OfType<string>()
            .Distinct()
            .Order(StringComparer.Ordinal);
        document.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag
        {
            Name = name,
            Description = table.Find(TagKey(name), Chinese) is { } zh
                ? zh + (En(table, TagKey(name)) is { } en && en != zh ? "\n\n" + en : "")
                : $"{name} 相关接口 (operations of the {name} area)",
        }));
    }

    /// <summary>
    /// The API reads numbers sent as strings too (the web defaults), which the generator describes as
    /// "integer or string matching a pattern" — a shape client generators and linters stumble on. Numbers are
    /// documented as numbers (nullable where they may be null).
    /// </summary>
    private static void Simplify(OpenApiSchema schema, int depth)
    {
        if (depth > 32)
        {
            return;
        }
        // In memory the shape is one schema of several types ("integer | string", plus "null"), written as anyOf for 3.0.
        if (schema.Type is { } type && (type & JsonSchemaType.String) != 0 && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        foreach (var child in (schema.Properties?.Values ?? []).Concat(schema.AllOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.OneOf ?? [])
            .Append(schema.Items).Append(schema.AdditionalProperties).OfType<OpenApiSchema>())
        {
            Simplify(child, depth + 1);
        }
    }

    private static bool IsNull(System.Text.Json.Nodes.JsonNode? value) => value is null || value.GetValueKind() == System.Text.Json.JsonValueKind.Null;

    private static OpenApiSchema ProblemDetailsSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem document; title is in the caller's language (中文 by default).",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        },
    };

    private static OpenApiSchema ValidationProblemDetailsSchema()
    {
        var schema = ProblemDetailsSchema();
        schema.Description = "A refused request: errors maps each field to its reasons, in the caller's language (中文 by default).";
        schema.Properties!["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        };
        return schema;
    }

    /// <summary>Enums travel as their names: say what each one means, in Chinese from the string table where it has one.</summary>
    private static void DescribeEnum(OpenApiSchema schema, Type type, TextTable table)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (!type.IsEnum || schema.Enum is not { Count: > 0 })
        {
            return;
        }
        var lines = Enum.GetNames(type).Select(name =>
            table.Find($"{type.Name}.{name}", Chinese) is { } zh ? $"`{name}`：{zh}" : $"`{name}`");
        schema.Description = string.Join("；", lines);
        // Written as names (JsonStringEnumConverter); the null a nullable property may hold is among the values.
        schema.Type = schema.Enum.Any(IsNull) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
    }
}

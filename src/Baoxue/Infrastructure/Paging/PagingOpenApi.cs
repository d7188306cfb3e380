using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Baoxue.Infrastructure.Paging;

/// <summary>
/// <see cref="PageRequest"/> binds itself from the query string, which OpenAPI cannot see: paged operations get
/// their <c>page</c> and <c>pageSize</c> parameters described here, with their bounds.
/// </summary>
public static class PagingOpenApi
{
    public static OpenApiOptions DescribePaging(this OpenApiOptions options) =>
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<PagingMetadata>().Any())
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(Parameter("page", "页码，从 1 起 (page number, from 1)", 1, PageRequest.MaxPage, 1));
                operation.Parameters.Add(Parameter("pageSize", "每页条数 (items per page)", 1, PageRequest.MaxSize, PageRequest.DefaultSize));
            }
            return Task.CompletedTask;
        });

    private static OpenApiParameter Parameter(string name, string description, int min, int max, int @default) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Required = false,
        Description = description,
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = min.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Maximum = max.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Default = System.Text.Json.Nodes.JsonValue.Create(@default),
        },
    };
}

using Baoxue.Features.Rates;

namespace Baoxue.Features.Demo;

/// <summary>The demo's figures: computed once its data is in, so the dashboard has something to show at first sign-in.</summary>
internal static class DemoRates
{
    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct) =>
        await services.GetRequiredService<FigureBuilder>().BuildAsync(FigureSetKind.Current, "demo", ct: ct);
}

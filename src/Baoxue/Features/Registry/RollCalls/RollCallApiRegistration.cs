using Baoxue.Features.Registry.RollCalls;

// In the builder's namespace, as ASP.NET Core's own Map… extensions are, so that Program.cs registers the
// roll-call endpoints with one line and no extra using.
namespace Microsoft.AspNetCore.Builder;

public static class RollCallApiRegistration
{
    public static void MapRollCallApi(this WebApplication app) => RollCallApi.Map(app);
}

using Baoxue.Infrastructure.Security;

namespace Baoxue.Features.Registry;

/// <summary>The <c>Registry</c> section: each county's plan may set these.</summary>
public sealed class RegistryOptions
{
    /// <summary>A transfer-out no receiving school confirms within this many working days is listed as unconfirmed.</summary>
    public int TransferConfirmWorkingDays { get; set; } = 10;
    /// <summary>Largest registry upload accepted, in megabytes.</summary>
    public int MaxImportMegabytes { get; set; } = 200;
}

public static class RegistrySetup
{
    public static void AddRegistry(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RegistryOptions>(builder.Configuration.GetSection("Registry"));
        builder.Services.AddRegistryHome();
        var personal = builder.Configuration.GetSection("PersonalData").Get<PersonalDataOptions>() ?? new PersonalDataOptions();
        var root = builder.Environment.ContentRootPath;
        builder.Services.AddSingleton(_ => PersonalData.FromOptions(personal, root));
    }
}

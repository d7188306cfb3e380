namespace Baoxue.Infrastructure.Security;

/// <summary>The <c>Security</c> section: each county's plan may set these differently.</summary>
public sealed class SecurityOptions
{
    public int IdleTimeoutMinutes { get; set; } = 30;
    public int MaxFailedAttempts { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 15;
    public bool RequireTwoFactorForAdministrators { get; set; } = true;
    /// <summary>Bearer tokens are not renewed by use, so they live no longer than the idle rule allows (the smaller of the two counts).</summary>
    public int TokenLifetimeMinutes { get; set; } = 30;
    /// <summary>Sign-in attempts (page and API) allowed per minute from one address, before lockout even counts.</summary>
    public int SignInsPerMinute { get; set; } = 30;
    /// <summary>Imports allowed per minute for one account: each can read a file of a million rows.</summary>
    public int ImportsPerMinute { get; set; } = 6;
    /// <summary>Transfer look-ups (by ID number and name) allowed per minute for one account.</summary>
    public int LookupsPerMinute { get; set; } = 10;
    /// <summary>Addresses of reverse proxies whose X-Forwarded-For/-Proto are believed (loopback always is).</summary>
    public string[] KnownProxies { get; set; } = [];
    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/8</c>) of reverse proxies whose forwarded headers are believed.</summary>
    public string[] KnownNetworks { get; set; } = [];
    /// <summary>Where uploads are buffered (and import copies kept): private to the app, emptied at start. Relative to the content root.</summary>
    public string TempFolder { get; set; } = "data/tmp";
    /// <summary>Where the signed audit checkpoint is kept: outside the database, so removing the newest audit lines shows. Relative to the content root.</summary>
    public string AuditCheckpointFile { get; set; } = "data/audit-checkpoint.json";
    /// <summary>How often the audit chain's head is signed into the checkpoint file.</summary>
    public int AuditCheckpointMinutes { get; set; } = 1;
}

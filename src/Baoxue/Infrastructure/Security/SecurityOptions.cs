namespace Baoxue.Infrastructure.Security;

/// <summary>The <c>Security</c> section: each county's plan may set these differently.</summary>
public sealed class SecurityOptions
{
    public int IdleTimeoutMinutes { get; set; } = 30;
    public int MaxFailedAttempts { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 15;
    public bool RequireTwoFactorForAdministrators { get; set; } = true;
    public int TokenLifetimeMinutes { get; set; } = 60;
    /// <summary>Sign-in attempts (page and API) allowed per minute from one address, before lockout even counts.</summary>
    public int SignInsPerMinute { get; set; } = 30;
    /// <summary>Imports allowed per minute for one account: each can read a file of a million rows.</summary>
    public int ImportsPerMinute { get; set; } = 6;
}

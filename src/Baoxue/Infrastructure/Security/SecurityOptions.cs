namespace Baoxue.Infrastructure.Security;

/// <summary>The <c>Security</c> section: each county's plan may set these differently.</summary>
public sealed class SecurityOptions
{
    public int IdleTimeoutMinutes { get; set; } = 30;
    public int MaxFailedAttempts { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 15;
    public bool RequireTwoFactorForAdministrators { get; set; } = true;
    public int TokenLifetimeMinutes { get; set; } = 60;
}

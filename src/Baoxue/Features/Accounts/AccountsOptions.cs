namespace Baoxue.Features.Accounts;

/// <summary>The <c>Accounts</c> section.</summary>
public sealed class AccountsOptions
{
    /// <summary>An account not signed in for this many days is listed as unused on the access list.</summary>
    public int UnusedDays { get; set; } = 90;
    /// <summary>The sign-in address printed on initial-password slips; empty: this server's own /login as the administrator reached it.</summary>
    public string SignInAddress { get; set; } = "";

    public string AddressFor(HttpRequest request) =>
        string.IsNullOrWhiteSpace(SignInAddress) ? $"{request.Scheme}://{request.Host}/login" : SignInAddress;
}

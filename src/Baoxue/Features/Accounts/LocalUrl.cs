namespace Baoxue.Features.Accounts;

public static class LocalUrl
{
    /// <summary>Only same-site paths are followed after sign-in; anything else goes home.</summary>
    public static string OrHome(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}

using Microsoft.Extensions.Localization;

namespace Baoxue.Features.ServiceAccounts;

public static class ServiceAccountText
{
    /// <summary>A permission's label; a permission added since without a label reads as its name.</summary>
    public static string Permission(IStringLocalizer text, string permission) =>
        text[$"Permission.{permission}"] is { ResourceNotFound: false } label ? $"{label.Value}（{permission}）" : permission;
}

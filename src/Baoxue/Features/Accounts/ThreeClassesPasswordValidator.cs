using Baoxue.Domain;
using Microsoft.AspNetCore.Identity;

namespace Baoxue.Features.Accounts;

/// <summary>At least three of: upper-case letters, lower-case letters, digits, other characters.</summary>
public sealed class ThreeClassesPasswordValidator : IPasswordValidator<AppUser>
{
    public static bool HasThreeClasses(string password)
    {
        var classes = 0;
        if (password.Any(char.IsAsciiLetterUpper)) classes++;
        if (password.Any(char.IsAsciiLetterLower)) classes++;
        if (password.Any(char.IsAsciiDigit)) classes++;
        if (password.Any(c => !char.IsAsciiLetterOrDigit(c))) classes++;
        return classes >= 3;
    }

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(password is not null && HasThreeClasses(password)
            ? IdentityResult.Success
            : IdentityResult.Failed(manager.ErrorDescriber is ChineseIdentityErrors zh ? zh.PasswordNeedsThreeClasses() : new IdentityError { Code = "PasswordClasses", Description = "PasswordClasses" }));
}

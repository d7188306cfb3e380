using Baoxue.Infrastructure.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Accounts;

/// <summary>Identity's error messages through the string table, so they follow the interface language.</summary>
public sealed class ChineseIdentityErrors(IStringLocalizer<Strings> text) : IdentityErrorDescriber
{
    public IdentityError PasswordNeedsThreeClasses() => Error("PasswordClasses");
    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), length);
    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), userName);
    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), userName ?? "");
    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch));
    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure));
    public override IdentityError DefaultError() => Error(nameof(DefaultError));

    private IdentityError Error(string code, params object[] args) =>
        new() { Code = code, Description = text["Identity." + code, args] };
}

using System.Security.Claims;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Home;
using Baoxue.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Accounts;

/// <summary>Something an account holder leaves behind for whoever takes over: a string-table label (or a label from data), how many, where.</summary>
public sealed record HandoverItem(string Key, int Count, string Link, string? Label = null);

/// <summary>Whose open work is being handed over: the account, a database scoped as that account, and its sign-in.</summary>
public sealed record HandoverContext(AppUser Account, BaoxueDb AccountDb, ClaimsPrincipal AccountPrincipal);

/// <summary>
/// The extension point for handover when a person leaves or moves: each feature lists what the account holds open.
/// Register with <c>services.AddScoped&lt;IHandoverSource, …&gt;()</c>. The home page's tasks come in through
/// <see cref="TaskHandoverSource"/>; case responsibilities (the ledger) add a source of their own.
/// </summary>
public interface IHandoverSource
{
    int Order { get; }
    Task<IReadOnlyList<HandoverItem>> ItemsAsync(HandoverContext context, CancellationToken ct);
}

/// <summary>The account's home-page tasks (ITaskSource), as that account would see them.</summary>
public sealed class TaskHandoverSource(IEnumerable<ITaskSource> tasks) : IHandoverSource
{
    public int Order => 0;

    public async Task<IReadOnlyList<HandoverItem>> ItemsAsync(HandoverContext context, CancellationToken ct)
    {
        var items = new List<HandoverItem>();
        foreach (var source in tasks.OrderBy(s => s.Order))
        {
            items.AddRange((await source.TasksAsync(new HomeContext(context.AccountDb, context.AccountPrincipal), ct)).Where(t => t.Count > 0)
                .Select(t => new HandoverItem(t.Key, t.Count, t.Link)));
        }
        return items;
    }
}

/// <summary>Lists what an account leaves open, for an administrator who manages it.</summary>
public sealed class Handover(IEnumerable<IHandoverSource> sources, IUserClaimsPrincipalFactory<AppUser> principals, DbContextOptions<BaoxueDb> options, TimeProvider clock)
{
    public sealed record ItemDto(string Key, string Label, int Count, string Link);

    public async Task<IReadOnlyList<HandoverItem>> ListAsync(AppUser account, CancellationToken ct = default)
    {
        var principal = await principals.CreateAsync(account);
        // The account's own view: the same scoping its holder had, read while the account may already be disabled.
        await using var db = new BaoxueDb(options, new AccountAsUser(account), clock);
        var items = new List<HandoverItem>();
        foreach (var source in sources.OrderBy(s => s.Order))
        {
            items.AddRange(await source.ItemsAsync(new HandoverContext(account, db, principal), ct));
        }
        return items;
    }

    public static ItemDto ToDto(HandoverItem i, IStringLocalizer text) => new(i.Key, i.Label ?? text[i.Key], i.Count, i.Link);

    private sealed class AccountAsUser(AppUser account) : ICurrentUser
    {
        public Guid? Id => account.Id;
        public string UserName => account.UserName!;
        public Role? Role => account.Role;
        public string? ScopePath => account.Path;
        public string? IpAddress => null;
        public PlaceKind? PlaceKind => account.PlaceKind;
    }
}

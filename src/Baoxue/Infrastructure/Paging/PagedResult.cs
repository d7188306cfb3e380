namespace Baoxue.Infrastructure.Paging;

/// <summary>
/// One page of a list as the API answers it: the items, how many match in all, which page of what size, and the
/// address of the next page (null on the last one) so a client can walk the whole list without knowing the rules.
/// </summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize, string? Next, bool TotalIsEstimate = false);

using Baoxue.Domain;
using Baoxue.Features.Registry;
using Baoxue.Infrastructure.Paging;
using Baoxue.Tests.Features.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Features.Registry;

/// <summary>
/// The list's total follows every change at once, although SQLite reuses a count until the registry changes
/// (decision 0032): adding a child, tagging, ending or removing a tag, and a change made outside the API.
/// </summary>
public abstract partial class StudentRecordTests<TApp>
{
    private async Task<int> TotalAsync(HttpClient client, string query) =>
        (await client.GetOkAsync<PagedResult<StudentQueries.StudentRow>>("/api/v1/students?" + query)).Total;

    private async Task<(int Class, int Group, int GroupItems)> TotalsAsync(HttpClient client, Guid cls)
    {
        // Asked twice: the second answer may come from the kept count, and must equal the first.
        var inClass = await TotalAsync(client, $"class={cls}");
        Assert.Equal(inClass, await TotalAsync(client, $"class={cls}"));
        var group = await client.GetOkAsync<PagedResult<StudentQueries.StudentRow>>($"/api/v1/students?class={cls}&group=ChildOfPrisoners&pageSize=200");
        Assert.Equal(group.Total, await TotalAsync(client, $"class={cls}&group=ChildOfPrisoners"));
        return (inClass, group.Total, group.Items.Count);
    }

    [Fact]
    public async Task The_list_total_follows_each_change_to_the_registry_at_once()
    {
        var (_, cls, _) = await PlacesAsync();
        using var client = await app.ClientAsync(SchoolAdmin);
        var before = await TotalsAsync(client, cls);
        Assert.Equal(before.Group, before.GroupItems);

        var id = await FreshIdAsync(Gender.Male);
        var created = await (await client.PostJsonAsync("/api/v1/students", Body(id, "郑浩然", Gender.Male, BirthOf(id), cls, tags: [new { kind = "ChildOfPrisoners" }])))
            .OkAsync<RegistryApi.StudentDto>();
        Assert.Equal((before.Class + 1, before.Group + 1, before.Group + 1), await TotalsAsync(client, cls));

        // A tag that has ended no longer puts the child in the group (set outside the API: the count still follows).
        await using (var db = app.Db())
        {
            var tag = await db.GroupTags.SingleAsync(t => t.StudentId == created.Id);
            tag.EndedOn = new DateOnly(2026, 6, 30);
            await db.SaveChangesAsync();
        }
        Assert.Equal((before.Class + 1, before.Group, before.Group), await TotalsAsync(client, cls));

        await using (var db = app.Db())
        {
            (await db.GroupTags.SingleAsync(t => t.StudentId == created.Id)).EndedOn = null;
            await db.SaveChangesAsync();
        }
        Assert.Equal((before.Class + 1, before.Group + 1, before.Group + 1), await TotalsAsync(client, cls));

        // The tag removed through the API.
        await (await client.PutJsonAsync($"/api/v1/students/{created.Id}", Body(id, "郑浩然", Gender.Male, BirthOf(id), cls, tags: []))).OkAsync<RegistryApi.StudentDto>();
        Assert.Equal((before.Class + 1, before.Group, before.Group), await TotalsAsync(client, cls));
    }

    [Fact]
    public async Task A_page_without_an_order_is_an_error_in_tests_not_a_warning()
    {
        await using var db = app.Db();

        // Which rows such a page holds is up to the database (EF's RowLimitingOperationWithoutOrderByWarning).
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.Students.Skip(1).Take(1).ToListAsync());
        Assert.NotNull(await db.Students.OrderBy(s => s.Id).Skip(0).Take(1).ToListAsync());
    }
}

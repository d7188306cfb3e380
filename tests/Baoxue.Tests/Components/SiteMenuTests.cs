using System.Security.Claims;
using Baoxue.Components.Layout;
using Baoxue.Domain;
using Baoxue.Infrastructure.Security;

namespace Baoxue.Tests.Components;

/// <summary>Which menu item a page belongs to, and which items a role is offered.</summary>
public sealed class SiteMenuTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/students", "/students")]
    [InlineData("/students/0194b7a0-0000-7000-8000-000000000001", "/students")]
    [InlineData("/students/import", "/students/import")]
    [InlineData("/status-changes", "/status-changes")]
    [InlineData("/status-changes/unconfirmed", "/status-changes/unconfirmed")]
    [InlineData("/status-changes/unconfirmed?page=2", "/status-changes/unconfirmed")]
    [InlineData("/status-changes/new", "/status-changes")]
    [InlineData("/classes/0194b7a0-0000-7000-8000-000000000001/attendance-book", "/roll-calls")]
    [InlineData("/classes/0194b7a0-0000-7000-8000-000000000001", "/schools")]
    [InlineData("/schools/0194b7a0-0000-7000-8000-000000000001/year-end", "/schools")]
    [InlineData("/AUDIT", "/audit")]
    [InlineData("/reports/0194b7a0-0000-7000-8000-000000000001", "/reports")]
    [InlineData("/reports/overdue", "/reports/overdue")]
    [InlineData("/campaigns/0194b7a0-0000-7000-8000-000000000001", "/campaigns")]
    [InlineData("/attendance/holidays/plans/0194b7a0-0000-7000-8000-000000000001", "/attendance/holidays")]
    [InlineData("/attendance/holidays/visits", "/attendance/holidays")]
    [InlineData("/attendance/return-check/classes/0194b7a0-0000-7000-8000-000000000001", "/attendance/return-check")]
    public void A_page_belongs_to_the_item_with_the_longest_matching_address(string path, string href) =>
        Assert.Equal(href, SiteMenu.Current(path)?.Href);

    [Theory]
    [InlineData("/account")]
    [InlineData("/login")]
    [InlineData("/studentsx")]
    public void A_page_outside_the_menu_marks_no_item(string path) => Assert.Null(SiteMenu.Current(path));

    [Fact]
    public void A_role_is_offered_only_what_its_permissions_open_and_no_empty_area()
    {
        static ClaimsPrincipal As(Role role) => new(new ClaimsIdentity([new Claim(BaoxueClaims.Role, role.ToString())], "test"));

        var head = SiteMenu.For(As(Role.HeadTeacher)).ToList();
        Assert.DoesNotContain(head, a => a.LabelKey == "Layout.Area.System");
        Assert.All(head.SelectMany(a => a.Items), i => Assert.True(Role.HeadTeacher.Allows(i.Permission), i.Href));
        Assert.Equal(SiteMenu.Areas.SelectMany(a => a.Items).Count(), SiteMenu.For(As(Role.CountyAdmin)).SelectMany(a => a.Items).Count());
        Assert.Equal(["/ledger/new", "/staff", "/departments"], SiteMenu.For(As(Role.DepartmentLiaison)).SelectMany(a => a.Items).Select(i => i.Href));
    }
}

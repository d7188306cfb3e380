using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Tests.Features.Accounts.AccountKit;

namespace Baoxue.Tests.Features.Accounts;

/// <summary>What the county administrator may and may not create through POST /api/v1/accounts: the password policy and where each role can be bound.</summary>
public abstract class AccountRulesTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private static string NewName(string prefix) => prefix + "." + Guid.NewGuid().ToString("N")[..8];

    private async Task<(HttpStatusCode Status, JsonElement Body)> CreateAsync(object body)
    {
        using var response = await PostAccountAsync(app, body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>The messages a 400 gives for one field (empty when the field has none).</summary>
    private static string[] FieldErrors(JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var messages)
            ? [.. messages.EnumerateArray().Select(m => m.GetString()!)]
            : [];

    private async Task<bool> ExistsAsync(string userName)
    {
        await using var db = app.Db();
        return await db.Users.AnyAsync(u => u.UserName == userName);
    }

    [Fact]
    public async Task A_password_shorter_than_eight_characters_is_refused()
    {
        var userName = NewName("short");
        var (status, body) = await CreateAsync(Body(userName, Role.Inspector, PlaceKind.County, await CountyIdAsync(app), password: "Ab1!xyz"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(FieldErrors(body, "Password"), m => m.Contains("至少需要 8 位", StringComparison.Ordinal));
        Assert.False(await ExistsAsync(userName));
    }

    [Theory]
    [InlineData("abcdefgh1234")] // lower case and digits
    [InlineData("Abcdefghijkl")] // upper and lower case
    [InlineData("12345678!@#$")] // digits and symbols
    [InlineData("ABCDEFGH-+*/")] // upper case and symbols
    public async Task A_password_with_only_two_kinds_of_character_is_refused(string password)
    {
        var userName = NewName("weak");
        var (status, body) = await CreateAsync(Body(userName, Role.Inspector, PlaceKind.County, await CountyIdAsync(app), password));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(FieldErrors(body, "Password"), m => m.Contains("至少三类", StringComparison.Ordinal));
        Assert.False(await ExistsAsync(userName));
    }

    [Theory]
    [InlineData("Abcdefg1")]     // upper, lower, digits; exactly eight
    [InlineData("abcdefg1!")]    // lower, digits, symbols
    [InlineData("ABCDEFG1!")]    // upper, digits, symbols
    [InlineData("Abcdefgh!")]    // upper, lower, symbols
    public async Task A_password_with_three_kinds_of_character_is_accepted_and_signs_in(string password)
    {
        var userName = NewName("strong");
        var (status, body) = await CreateAsync(Body(userName, Role.Inspector, PlaceKind.County, await CountyIdAsync(app), password));

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(userName, body.GetProperty("userName").GetString());
        Assert.Equal("Inspector", body.GetProperty("role").GetString());
        Assert.True(await ExistsAsync(userName));
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(app, userName, password)).Status);
    }

    [Fact]
    public async Task A_head_teacher_cannot_be_bound_to_a_county()
    {
        var userName = NewName("teacher");
        var (status, body) = await CreateAsync(Body(userName, Role.HeadTeacher, PlaceKind.County, await CountyIdAsync(app)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("该角色不能绑定到这类单位。", FieldErrors(body, "PlaceKind"));
        Assert.False(await ExistsAsync(userName));
    }

    [Fact]
    public async Task A_head_teacher_can_be_bound_to_a_class()
    {
        var userName = NewName("teacher");
        var classId = await FirstClassIdAsync(app);
        var (status, body) = await CreateAsync(Body(userName, Role.HeadTeacher, PlaceKind.Class, classId));

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var stored = await StoredUserAsync(app, userName);
        Assert.Equal(PlaceKind.Class, stored.PlaceKind);
        Assert.Equal(classId, stored.PlaceId);
        await using var db = app.Db();
        Assert.Equal(await db.Classes.Where(c => c.Id == classId).Select(c => c.Path).SingleAsync(), stored.Path);
    }

    [Fact]
    public async Task An_account_cannot_be_bound_to_a_place_that_does_not_exist()
    {
        var userName = NewName("nowhere");
        var (status, body) = await CreateAsync(Body(userName, Role.Inspector, PlaceKind.Township, Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("所属单位不存在或不在您的管辖范围内。", FieldErrors(body, "PlaceId"));
        Assert.False(await ExistsAsync(userName));
    }

    [Fact]
    public async Task A_county_administrator_cannot_bind_an_account_to_a_neighbouring_county()
    {
        // 闽侯县, beside 罗源县 under the same city: real, but outside the demo administrator's jurisdiction.
        Guid neighbourId;
        await using (var db = app.Db())
        {
            var own = await db.Divisions.SingleAsync(d => d.Code == "350123");
            var city = await db.Divisions.SingleAsync(d => d.Id == own.ParentId);
            var neighbour = new Division { Code = "350121", Name = "闽侯县", Level = DivisionLevel.County, ParentId = city.Id, Path = PlacePath.Child(city.Path, "350121") };
            db.Divisions.Add(neighbour);
            await db.SaveChangesAsync();
            neighbourId = neighbour.Id;
        }
        var userName = NewName("outside");
        var (status, body) = await CreateAsync(Body(userName, Role.Inspector, PlaceKind.County, neighbourId));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("所属单位不存在或不在您的管辖范围内。", FieldErrors(body, "PlaceId"));
        Assert.False(await ExistsAsync(userName));
    }

    [Fact]
    public async Task A_place_id_of_the_wrong_kind_is_not_accepted()
    {
        // The county's id sent as a township: there is no township with that id.
        var userName = NewName("wrongkind");
        var (status, body) = await CreateAsync(Body(userName, Role.Inspector, PlaceKind.Township, await CountyIdAsync(app)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotEmpty(FieldErrors(body, "PlaceId"));
        Assert.False(await ExistsAsync(userName));
    }
}

public sealed class AccountRulesTests_Sqlite(SqliteApp app) : AccountRulesTests<SqliteApp>(app);

public sealed class AccountRulesTests_Postgres(PostgresApp app) : AccountRulesTests<PostgresApp>(app);

using Baoxue.Domain;
using Baoxue.Features.Accounts;

namespace Baoxue.Tests.Features.Accounts;

/// <summary>The delegation rule on its own: the same table as the endpoint test, plus the places, without a database.</summary>
public sealed class AccountRulesPureTests
{
    private const string City = "35/3501/";
    private const string County = City + "350123/";
    private const string Township = County + "350123102/";
    private const string CentralSchool = Township + "2135012310/";
    private const string OtherSchool = Township + "2135012311/";
    private const string Village = Township + "350123102201/";

    private static string PathFor(Role role) => role switch
    {
        Role.SchoolAdmin or Role.SubjectTeacher => CentralSchool,
        Role.HeadTeacher => CentralSchool + "20260301/",
        Role.TownshipCadre or Role.TownshipAdmin => Township,
        Role.VillageCadre => Village,
        Role.DepartmentLiaison => County + "D01/",
        Role.RegionalStaff or Role.RegionalAdmin => City,
        _ => County,
    };

    private static AccountRules.Actor ActorOf(Role role) => new(role, role switch
    {
        Role.SchoolAdmin => CentralSchool,
        Role.TownshipAdmin => Township,
        Role.RegionalAdmin => City,
        _ => County,
    });

    [Fact]
    public void Every_role_pair_is_allowed_exactly_as_delegated()
    {
        var allowed = Enum.GetValues<Role>()
            .SelectMany(a => Enum.GetValues<Role>().Where(t => AccountRules.MayManage(ActorOf(a), new(t, t.Places()[0], PathFor(t), AtCentralSchool: true))).Select(t => $"{a}>{t}"))
            .ToHashSet();
        var expected = Enum.GetValues<Role>().Where(t => !t.IsRegional()).Select(t => $"CountyAdmin>{t}")
            .Concat(["RegionalAdmin>RegionalAdmin", "RegionalAdmin>RegionalStaff", "RegionalAdmin>CountyAdmin"])
            .Concat(["TownshipAdmin>SchoolAdmin", "TownshipAdmin>HeadTeacher", "TownshipAdmin>SubjectTeacher", "TownshipAdmin>VillageCadre", "SchoolAdmin>HeadTeacher", "SchoolAdmin>SubjectTeacher"])
            .ToHashSet();
        Assert.Equal(expected.Order(), allowed.Order());
    }

    [Fact]
    public void Places_outside_the_jurisdiction_and_schools_that_are_not_central_are_refused()
    {
        Assert.False(AccountRules.MayManage(ActorOf(Role.SchoolAdmin), new(Role.SubjectTeacher, PlaceKind.School, OtherSchool)));
        Assert.False(AccountRules.MayManage(ActorOf(Role.TownshipAdmin), new(Role.SubjectTeacher, PlaceKind.School, OtherSchool, AtCentralSchool: false)));
        Assert.True(AccountRules.MayManage(ActorOf(Role.TownshipAdmin), new(Role.VillageCadre, PlaceKind.Village, Village)));
        Assert.False(AccountRules.MayManage(ActorOf(Role.TownshipAdmin), new(Role.VillageCadre, PlaceKind.Village, County + "350123100/350123100201/")));
        Assert.False(AccountRules.MayManage(new(Role.CountyAdmin, "35/3501/350124/"), new(Role.Inspector, PlaceKind.County, County)));
        // A role bound to a kind of place it cannot have, or nobody at all acting.
        Assert.False(AccountRules.MayManage(ActorOf(Role.CountyAdmin), new(Role.HeadTeacher, PlaceKind.County, County)));
        Assert.False(AccountRules.MayManage(new(null, null), new(Role.Inspector, PlaceKind.County, County)));
        Assert.False(AccountRules.MayManage(new(Role.CountyAdmin, PlacePath.Nothing), new(Role.Inspector, PlaceKind.County, County)));
        // A change needs both ends: a teacher moved to a school that is not the actor's.
        Assert.False(AccountRules.MayChange(ActorOf(Role.SchoolAdmin), new(Role.SubjectTeacher, PlaceKind.School, CentralSchool), new(Role.SubjectTeacher, PlaceKind.School, OtherSchool)));
    }

    [Fact]
    public void Above_the_county_the_city_administrator_manages_the_city_and_the_county_administrators_only()
    {
        var cityAdmin = ActorOf(Role.RegionalAdmin);
        // The city's own people, 督学 and 领导 included, bound to the city.
        Assert.True(AccountRules.MayManage(cityAdmin, new(Role.Inspector, PlaceKind.City, City)));
        Assert.True(AccountRules.MayManage(cityAdmin, new(Role.ReadOnlyLeader, PlaceKind.City, City)));
        Assert.True(AccountRules.MayManage(cityAdmin, new(Role.RegionalStaff, PlaceKind.City, City)));
        // Each county below gets its administrator from the city; the county's other people are the county's.
        Assert.True(AccountRules.MayManage(cityAdmin, new(Role.CountyAdmin, PlaceKind.County, "35/3501/350121/")));
        Assert.False(AccountRules.MayManage(cityAdmin, new(Role.BureauStaff, PlaceKind.County, County)));
        Assert.False(AccountRules.MayManage(cityAdmin, new(Role.Inspector, PlaceKind.County, County)));
        Assert.False(AccountRules.MayManage(cityAdmin, new(Role.SchoolAdmin, PlaceKind.School, CentralSchool)));
        // Not above its place, nor in another city; regional roles never bind to a county.
        Assert.False(AccountRules.MayManage(cityAdmin, new(Role.RegionalStaff, PlaceKind.Province, "35/")));
        Assert.False(AccountRules.MayManage(cityAdmin, new(Role.CountyAdmin, PlaceKind.County, "35/3502/350203/")));
        Assert.False(AccountRules.MayManage(cityAdmin, new(Role.RegionalStaff, PlaceKind.County, County)));
        // A province administrator reaches its cities.
        Assert.True(AccountRules.MayManage(new(Role.RegionalAdmin, "35/"), new(Role.RegionalAdmin, PlaceKind.City, City)));
        // The county administrator gives no regional role, and binds nobody to the city.
        Assert.False(AccountRules.MayManage(ActorOf(Role.CountyAdmin), new(Role.RegionalStaff, PlaceKind.City, City)));
        Assert.False(AccountRules.MayManage(new(Role.CountyAdmin, City), new(Role.Inspector, PlaceKind.City, City)));
        Assert.DoesNotContain(Role.RegionalStaff, AccountRules.Assignable(Role.CountyAdmin));
    }
}

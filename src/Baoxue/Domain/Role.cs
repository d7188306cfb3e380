namespace Baoxue.Domain;

public enum Role
{
    CountyAdmin = 1,
    BureauStaff = 2,
    SchoolAdmin = 3,
    HeadTeacher = 4,
    SubjectTeacher = 5,
    TownshipCadre = 6,
    VillageCadre = 7,
    DepartmentLiaison = 8,
    Inspector = 9,
    ReadOnlyLeader = 10,
    /// <summary>乡镇管理员: bound to a township; manages its village cadres' and its central school's accounts.</summary>
    TownshipAdmin = 11,
    /// <summary>市、省教育局工作人员: bound to a city or a province; reads the counties below, never edits children's records.</summary>
    RegionalStaff = 12,
    /// <summary>市、省级管理员: bound to a city or a province; manages the accounts there and the county administrators below.</summary>
    RegionalAdmin = 13,
}

public static class Roles
{
    public static bool IsAdministrator(this Role role) => role is Role.CountyAdmin or Role.SchoolAdmin or Role.TownshipAdmin or Role.RegionalAdmin;

    /// <summary>Which kinds of place each role may be bound to.</summary>
    public static IReadOnlyList<PlaceKind> Places(this Role role) => role switch
    {
        // Roles that act on children's records stay in the county; the read-only ones also serve a city or a province (督学, 领导).
        Role.CountyAdmin or Role.BureauStaff => [PlaceKind.County, PlaceKind.Township],
        Role.Inspector or Role.ReadOnlyLeader => [PlaceKind.Province, PlaceKind.City, PlaceKind.County, PlaceKind.Township],
        Role.RegionalStaff or Role.RegionalAdmin => [PlaceKind.Province, PlaceKind.City],
        Role.SchoolAdmin => [PlaceKind.School],
        Role.HeadTeacher => [PlaceKind.Class],
        Role.SubjectTeacher => [PlaceKind.School, PlaceKind.Class],
        Role.TownshipCadre or Role.TownshipAdmin => [PlaceKind.Township],
        Role.VillageCadre => [PlaceKind.Village],
        Role.DepartmentLiaison => [PlaceKind.Department],
        _ => [],
    };

    /// <summary>Whether the role works above the county (a city or a province) and nowhere below.</summary>
    public static bool IsRegional(this Role role) => role is Role.RegionalStaff or Role.RegionalAdmin;
}

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
}

public static class Roles
{
    public static bool IsAdministrator(this Role role) => role is Role.CountyAdmin or Role.SchoolAdmin or Role.TownshipAdmin;

    /// <summary>Which kinds of place each role may be bound to.</summary>
    public static IReadOnlyList<PlaceKind> Places(this Role role) => role switch
    {
        Role.CountyAdmin or Role.BureauStaff or Role.Inspector or Role.ReadOnlyLeader => [PlaceKind.County, PlaceKind.Township],
        Role.SchoolAdmin => [PlaceKind.School],
        Role.HeadTeacher => [PlaceKind.Class],
        Role.SubjectTeacher => [PlaceKind.School, PlaceKind.Class],
        Role.TownshipCadre or Role.TownshipAdmin => [PlaceKind.Township],
        Role.VillageCadre => [PlaceKind.Village],
        Role.DepartmentLiaison => [PlaceKind.Department],
        _ => [],
    };
}

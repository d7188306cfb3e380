using Baoxue.Domain;

namespace Baoxue.Features.Accounts;

/// <summary>
/// Who may create, change, disable or reset which accounts (delegated administration). Pure rules: no database, no
/// clock; pages, the API, provisioning and the account sheet all ask here. An administrator manages accounts of roles
/// below their own, bound to places inside their jurisdiction:
/// the county administrator every role in the county (other administrators included); a township administrator the
/// township's village cadres and the staff of its central school(s); a school administrator the head teachers and
/// subject teachers of their school; a city or provincial administrator the accounts bound to its city or province (and
/// the cities below a province) and the county administrators of the counties below — who then manage their counties.
/// Nobody gives a role more than their own, nor reaches outside their place.
/// </summary>
public static class AccountRules
{
    /// <summary>Who is acting: a role bound to a place (its path is the jurisdiction).</summary>
    public sealed record Actor(Role? Role, string? ScopePath);

    /// <summary>An account as it is or would be: its role and the place it is bound to (path), and whether that place is a central school or one of its classes.</summary>
    public sealed record Target(Role Role, PlaceKind PlaceKind, string Path, bool AtCentralSchool = false);

    /// <summary>The roles an actor may give, in menu order; empty for roles that manage no accounts.</summary>
    public static IReadOnlyList<Role> Assignable(Role? actor) => actor switch
    {
        // Above the county (decision 0026): the regional administrator starts each county off with its administrator.
        Role.RegionalAdmin => [Role.RegionalAdmin, Role.RegionalStaff, Role.Inspector, Role.ReadOnlyLeader, Role.CountyAdmin],
        Role.CountyAdmin => [.. Enum.GetValues<Role>().Where(r => !r.IsRegional())],
        Role.TownshipAdmin => [Role.SchoolAdmin, Role.HeadTeacher, Role.SubjectTeacher, Role.VillageCadre],
        Role.SchoolAdmin => [Role.HeadTeacher, Role.SubjectTeacher],
        _ => [],
    };

    /// <summary>Whether the actor may hold an account in this state: create it so, change it to it, or (for its current state) change, disable or reset it.</summary>
    public static bool MayManage(Actor actor, Target target) =>
        actor.Role is { } role && actor.ScopePath is { } scope && scope != PlacePath.Nothing
        && Assignable(role).Contains(target.Role)
        && target.Role.Places().Contains(target.PlaceKind)
        && PlacePath.IsWithin(target.Path, scope)
        // A township administrator's schools are its central schools: village cadres anywhere in the township, staff only there.
        && (role != Role.TownshipAdmin || target.Role == Role.VillageCadre || target.AtCentralSchool)
        // A regional administrator reaches into a county only to its administrator; 督学 and 领导 there are the county's own.
        && (role != Role.RegionalAdmin || target.Role == Role.CountyAdmin || target.PlaceKind is PlaceKind.City or PlaceKind.Province)
        // A county's own administrator manages the county, not the city above it.
        && (role == Role.RegionalAdmin || target.PlaceKind is not (PlaceKind.City or PlaceKind.Province));

    /// <summary>A change moves an account from one state to another: the actor must reach both.</summary>
    public static bool MayChange(Actor actor, Target before, Target after) => MayManage(actor, before) && MayManage(actor, after);
}

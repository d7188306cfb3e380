using System.Net.Http.Json;
using Baoxue.Domain;
using Baoxue.Tests.Features.Registry.StatusChanges;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Features.Ledger;

/// <summary>
/// The status-change app (second registrar, enrolment helper) plus a village cadre and a township cadre of another
/// township (<see cref="OtherVillageCadre"/>, <see cref="OtherTownshipCadre"/>), made through the accounts API.
/// </summary>
public abstract class LedgerApp(TestDatabase database) : StatusChangeApp(database)
{
    public const string OtherVillageCadre = "other.village";
    public const string OtherTownshipCadre = "other.township";

    public Division OwnVillage { get; private set; } = default!;
    public Division OtherVillage { get; private set; } = default!;
    /// <summary>A school outside the village cadre's township.</summary>
    public Guid FarSchoolId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Db();
        var users = await db.Users.ToDictionaryAsync(u => u.UserName!);
        OwnVillage = await db.Divisions.AsNoTracking().SingleAsync(d => d.Id == users["village.cadre"].PlaceId);
        var ownTownship = await db.Divisions.AsNoTracking().SingleAsync(d => d.Id == OwnVillage.ParentId);
        OtherVillage = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Village && d.ParentId != ownTownship.Id).OrderBy(d => d.Code).FirstAsync();
        FarSchoolId = await db.Schools.AsNoTracking().Where(s => s.TownshipId != ownTownship.Id && s.Kind == SchoolKind.Primary).OrderBy(s => s.Code).Select(s => s.Id).FirstAsync();
        using var admin = await ClientAsync("county.admin");
        foreach (var (user, role, kind, place) in new[] { (OtherVillageCadre, "VillageCadre", "Village", OtherVillage.Id), (OtherTownshipCadre, "TownshipCadre", "Township", OtherVillage.ParentId!.Value) })
        {
            using var created = await admin.PostAsJsonAsync("/api/v1/accounts", new { userName = user, displayName = "他乡干部", role, placeKind = kind, placeId = place, password = Password }, Json);
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }
    }
}

public sealed class LedgerSqliteApp() : LedgerApp(TestDatabase.Sqlite());

public sealed class LedgerPostgresApp() : LedgerApp(TestDatabase.Postgres());

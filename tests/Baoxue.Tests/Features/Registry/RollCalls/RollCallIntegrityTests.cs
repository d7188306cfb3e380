using System.Net;
using Baoxue.Domain;
using Baoxue.Features.Registry.RollCalls;
using Baoxue.Tests.Features.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Features.Registry.RollCalls;

/// <summary>Issue 6, item 3: a return is confirmed once and attested once, however many requests arrive together.</summary>
public abstract partial class RollCallTests<TApp>
{
    [Fact]
    public async Task Parallel_confirmations_and_attestations_of_one_return_are_recorded_once()
    {
        var world = await WorldAsync();
        Guid classId;
        await using (var db = app.Db())
        {
            // A class of the same school that no other test calls the roll of (and that has no students).
            classId = await db.Classes.AsNoTracking()
                .Where(c => c.SchoolId == world.SchoolId && c.SchoolYear!.IsCurrent && c.Id != world.HeadClassId && c.Id != world.OtherClassId && !db.Students.Any(s => s.ClassId == c.Id))
                .OrderByDescending(c => c.Path).Select(c => c.Id).FirstAsync();
        }
        var url = $"/api/v1/roll-calls/{world.CampaignId}/classes/{classId}";
        using var a = await app.ClientAsync(School);
        using var b = await app.ClientAsync(School);
        using var c = await app.ClientAsync(School);

        var confirms = await Task.WhenAll(
            a.PostJsonAsync(url + "/confirm", new RollCallApi.ConfirmBody([], null)),
            b.PostJsonAsync(url + "/confirm", new RollCallApi.ConfirmBody([], null)),
            c.PostJsonAsync(url + "/confirm", new RollCallApi.ConfirmBody([], null)));
        await OneWinnerAsync(confirms);

        var attests = await Task.WhenAll(a.PostAsync(url + "/attest", null), b.PostAsync(url + "/attest", null), c.PostAsync(url + "/attest", null));
        await OneWinnerAsync(attests);

        await using var after = app.Db();
        var ret = await after.RollCallReturns.AsNoTracking().SingleAsync(r => r.CampaignId == world.CampaignId && r.ClassId == classId);
        Assert.Equal(RollCallState.Attested, ret.State);
        Assert.Equal(2, ret.Version);
        var updates = await after.AuditEntries.AsNoTracking().CountAsync(e => e.EntityType == nameof(RollCallReturn) && e.EntityId == ret.Id.ToString() && e.Action == AuditAction.Update);
        Assert.Equal(2, updates);
    }

    private static async Task OneWinnerAsync(HttpResponseMessage[] responses)
    {
        foreach (var r in responses)
        {
            Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.BadRequest, $"{(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
        }
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
    }
}

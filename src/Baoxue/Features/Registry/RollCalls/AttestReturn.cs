using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Registry.RollCalls;

/// <summary>
/// The principal's attestation of a confirmed return (the school's account acts for the principal). An attested
/// return is final: it can no longer be reopened or confirmed again.
/// </summary>
public static class AttestReturn
{
    public static async Task<Outcome<RollCallReturn>> HandleAsync(BaoxueDb db, Guid campaignId, Guid classId, CancellationToken ct = default)
    {
        var ret = await db.RollCallReturns.FirstOrDefaultAsync(r => r.CampaignId == campaignId && r.ClassId == classId, ct);
        if (ret is null)
        {
            return Outcome<RollCallReturn>.Missing();
        }
        if (db.CurrentUser.Role != Role.SchoolAdmin)
        {
            return Outcome<RollCallReturn>.Invalid("Role", "RollCall.PrincipalOnly");
        }
        if (ret.State == RollCallState.Attested)
        {
            return Outcome<RollCallReturn>.Invalid("State", "RollCall.AlreadyAttested");
        }
        if (ret.State != RollCallState.Confirmed)
        {
            return Outcome<RollCallReturn>.Invalid("State", "RollCall.NotConfirmed");
        }
        ret.State = RollCallState.Attested;
        ret.PrincipalAttestedBy = db.CurrentUser.UserName;
        ret.PrincipalAttestedAt = db.Clock.GetUtcNow().UtcDateTime;
        return await db.SaveAsync(ret, ct);
    }
}

/// <summary>Send a confirmed return back to the head teacher for correction; refused once the principal has attested.</summary>
public static class ReopenReturn
{
    public static async Task<Outcome<RollCallReturn>> HandleAsync(BaoxueDb db, Guid campaignId, Guid classId, CancellationToken ct = default)
    {
        var ret = await db.RollCallReturns.FirstOrDefaultAsync(r => r.CampaignId == campaignId && r.ClassId == classId, ct);
        if (ret is null)
        {
            return Outcome<RollCallReturn>.Missing();
        }
        if (ret.State == RollCallState.Attested)
        {
            return Outcome<RollCallReturn>.Invalid("State", "RollCall.AlreadyAttested");
        }
        if (ret.State != RollCallState.Confirmed)
        {
            return Outcome<RollCallReturn>.Invalid("State", "RollCall.NotConfirmed");
        }
        ret.State = RollCallState.Open;
        ret.ConfirmedBy = null;
        ret.ConfirmedAt = null;
        return await db.SaveAsync(ret, ct);
    }
}

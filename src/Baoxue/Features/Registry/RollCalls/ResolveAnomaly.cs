using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Registry.RollCalls;

/// <summary>
/// The registrar records how an anomaly was settled (已办理转出, 已补录学籍, …). A settled ghost enrolment
/// leaves the registered count, a settled split enrolment joins it, so that once every anomaly of a class is
/// settled its registered count equals its in-school count.
/// </summary>
public static class ResolveAnomaly
{
    public sealed record Command(string? Resolution);

    public const int ResolutionLength = 500;

    public static async Task<Outcome<RollCallMark>> HandleAsync(BaoxueDb db, Guid markId, Command c, CancellationToken ct = default)
    {
        var mark = await db.RollCallMarks.Include(m => m.Return).FirstOrDefaultAsync(m => m.Id == markId, ct);
        if (mark is null)
        {
            return Outcome<RollCallMark>.Missing();
        }
        if (!mark.IsAnomaly)
        {
            return Outcome<RollCallMark>.Invalid("Kind", "RollCall.NotAnAnomaly");
        }
        if (mark.ResolvedAt is not null)
        {
            return Outcome<RollCallMark>.Invalid("Resolution", "RollCall.AlreadyResolved");
        }
        var text = c.Resolution?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Outcome<RollCallMark>.Invalid("Resolution", "Validation.Required", "Field.RollCallResolution");
        }
        if (text.Length > ResolutionLength)
        {
            return Outcome<RollCallMark>.Invalid("Resolution", "Validation.TooLong", ResolutionLength);
        }
        mark.Resolution = text;
        mark.ResolvedAt = db.Clock.GetUtcNow().UtcDateTime;
        return await db.SaveAsync(mark, ct);
    }
}

using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Infrastructure.Auditing;

namespace Baoxue.Tests.Infrastructure.Auditing;

/// <summary>
/// A unit's audit line (decision 0030) copies each row's JSON in as it is (decision 0037). It must read exactly as the
/// line the serialiser wrote before, parsing every row: the chain's lines old and new are compared and hashed as text.
/// </summary>
public sealed class AuditUnitJsonTests
{
    [Fact]
    public void The_unit_line_is_byte_for_byte_what_parsing_and_serialising_each_row_wrote()
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Reason"] = "路上耽误 \"雨\" \\ <b>&'\u0001\u2028 😀",
            ["Kind"] = 2,
            ["At"] = new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc),
            ["Date"] = new DateOnly(2026, 12, 1),
            ["Absent"] = 1.5m,
            ["Missing"] = null,
        };
        var row = JsonSerializer.Serialize(values, ChangeAudit.Json);
        List<AuditEntry> lines =
        [
            new() { UserName = "school.admin", Path = "/1/", EntityType = "AttendanceRecord", EntityId = Guid.NewGuid().ToString(), Action = AuditAction.Update, Before = row, After = row.Replace("路上", "在家", StringComparison.Ordinal), PreviousHash = "" },
            new() { UserName = "school.admin", Path = "/1/", EntityType = "AttendanceMark", EntityId = Guid.NewGuid().ToString(), Action = AuditAction.Create, Before = null, After = row, PreviousHash = "" },
            new() { UserName = "school.admin", Path = "/1/", EntityType = "AttendanceMark", EntityId = "a,b", Action = AuditAction.Delete, Before = "{}", After = null, PreviousHash = "" },
        ];
        const string unit = "attendance 2026-12-01 lesson 0 \"早读\"";

        var before = JsonSerializer.Serialize(new
        {
            unit,
            rows = lines.Select(l => new { type = l.EntityType, id = l.EntityId, action = l.Action.ToString(), before = l.Before is null ? (JsonElement?)null : JsonDocument.Parse(l.Before).RootElement, after = l.After is null ? (JsonElement?)null : JsonDocument.Parse(l.After).RootElement }),
        }, ChangeAudit.Json);

        Assert.Equal(before, ChangeAudit.UnitJson(lines, unit));
    }
}

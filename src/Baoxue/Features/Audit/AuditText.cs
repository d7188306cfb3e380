using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Audit;

/// <summary>
/// The audit log as people read it: record types and field names in the user's language (<c>AuditRecord.*</c>,
/// <c>AuditField.*</c> in the string table), enum numbers as their names, times on the county's clock, and a link to
/// the record's page where it has one. The stored line is left exactly as hashed.
/// </summary>
public sealed class AuditText(IStringLocalizer localizer, IModel model, TimeZoneInfo zone)
{
    public sealed record Change(string Field, string? Before, string? After);

    /// <summary>The type as stored, without a generic arity: <c>IdentityUserToken`1</c> → <c>IdentityUserToken</c>.</summary>
    public static string TypeKey(string entityType) => entityType.Split('`')[0];

    public string RecordType(string entityType) => Text($"AuditRecord.{TypeKey(entityType)}") ?? entityType;

    /// <summary>Every record type the model audits, with its label, for the filter's choices (by label, pinyin order).</summary>
    public IReadOnlyList<(string Type, string Label)> RecordTypes() =>
        [.. model.GetEntityTypes().Where(t => t.ClrType != typeof(AuditEntry)).Select(t => t.ClrType.Name).Distinct()
            .Select(t => (Type: t, Label: RecordType(t))).OrderBy(t => t.Label, StringComparer.Create(CultureInfo.GetCultureInfo("zh-CN"), CompareOptions.None))];

    /// <summary>What a user typed or picked as a record type (学生, Student, students …) as the stored type name; unknown text is returned as typed.</summary>
    public string? ResolveType(string? text)
    {
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            return null;
        }
        var types = RecordTypes();
        return types.FirstOrDefault(x => string.Equals(x.Type, t, StringComparison.OrdinalIgnoreCase)).Type
            ?? types.FirstOrDefault(x => string.Equals(x.Label, t, StringComparison.OrdinalIgnoreCase)).Type
            ?? types.FirstOrDefault(x => x.Label.Contains(t, StringComparison.OrdinalIgnoreCase)).Type
            ?? t;
    }

    /// <summary>The fields a line records, one row each: what it was and what it became.</summary>
    public IReadOnlyList<Change> Changes(AuditEntry entry)
    {
        var before = Parse(entry.Before);
        var after = Parse(entry.After);
        if (before is null && after is null)
        {
            return entry.After is { Length: > 0 } raw ? [new Change(Text("AuditField.Detail") ?? "", null, raw)] : [];
        }
        var entity = model.GetEntityTypes().FirstOrDefault(t => t.ClrType.Name == entry.EntityType);
        var keys = (before?.Keys ?? Enumerable.Empty<string>()).Concat(after?.Keys ?? Enumerable.Empty<string>()).Distinct(StringComparer.Ordinal).ToList();
        return [.. keys.Select(k => new Change(
            FieldLabel(entry.EntityType, k),
            before is not null && before.TryGetValue(k, out var b) ? Value(entity, k, b) : null,
            after is not null && after.TryGetValue(k, out var a) ? Value(entity, k, a) : null))];
    }

    public string FieldLabel(string entityType, string field) =>
        Text($"AuditField.{TypeKey(entityType)}.{field}") ?? Text($"AuditField.{field}") ?? field;

    /// <summary>The page of the record a line is about, when it has one the user may open.</summary>
    public string? Link(AuditEntry entry, ClaimsPrincipal user)
    {
        if (!Guid.TryParse(entry.EntityId, out var id))
        {
            return null;
        }
        string? Related(string field) =>
            (Parse(entry.After) ?? Parse(entry.Before)) is { } values && values.TryGetValue(field, out var v) && v.ValueKind == JsonValueKind.String && Guid.TryParse(v.GetString(), out var g) ? g.ToString() : null;
        return entry.EntityType switch
        {
            nameof(Student) when user.Can(Permission.RegistryView) && entry.Action != AuditAction.Delete => $"/students/{id}",
            nameof(Guardian) or nameof(GroupTag) when user.Can(Permission.RegistryView) && Related(nameof(Guardian.StudentId)) is { } s => $"/students/{s}",
            nameof(StatusChange) when user.Can(Permission.RegistryView) => $"/status-changes/{id}",
            nameof(StatusApproval) when user.Can(Permission.RegistryView) && Related(nameof(StatusApproval.StatusChangeId)) is { } c => $"/status-changes/{c}",
            nameof(RollCallCampaign) when user.Can(Permission.RegistryView) => $"/roll-calls/{id}",
            nameof(RollCallReturn) when user.Can(Permission.RegistryView) && Related(nameof(RollCallReturn.CampaignId)) is { } c => $"/roll-calls/{c}",
            nameof(LedgerEntry) when user.Can(Permission.LedgerView) => $"/ledger/entries/{id}",
            nameof(LedgerCase) when user.Can(Permission.LedgerView) && Related(nameof(LedgerCase.EntryId)) is { } e => $"/ledger/entries/{e}",
            nameof(School) when user.Can(Permission.OrgView) => $"/schools/{id}",
            nameof(Division) when user.Can(Permission.OrgView) => $"/divisions/{id}",
            nameof(SchoolClass) when user.Can(Permission.ClassesEdit) => $"/classes/{id}",
            nameof(Staff) when user.Can(Permission.StaffEdit) => $"/staff/{id}",
            nameof(Department) when user.Can(Permission.DepartmentsEdit) => $"/departments/{id}",
            nameof(AppUser) when user.Can(Permission.AccountsManage) => $"/accounts/{id}",
            _ => null,
        };
    }

    private string? Value(IEntityType? entity, string field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var type = entity?.FindProperty(field)?.ClrType;
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (type is { IsEnum: true } && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            var name = Enum.GetName(type, Enum.ToObject(type, number)) ?? number.ToString(CultureInfo.InvariantCulture);
            return Text($"{type.Name}.{name}") ?? name;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return localizer[value.GetBoolean() ? "Common.Yes" : "Common.No"];
        }
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (type == typeof(DateTime) && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            {
                return ChineseFormat.DateTimeLocal(at, zone);
            }
            if (type == typeof(DateOnly) && DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var day))
            {
                return ChineseFormat.Date(day);
            }
            if (type == typeof(DateTimeOffset) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, out var offset))
            {
                return ChineseFormat.DateTimeLocal(offset.UtcDateTime, zone);
            }
            return text;
        }
        return value.ValueKind == JsonValueKind.Array ? string.Join("、", value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? FieldLabel("", e.GetString()!) : e.ToString())) : value.ToString();
    }

    private string? Text(string key)
    {
        var found = localizer[key];
        return found.ResourceNotFound ? null : found.Value;
    }

    private static Dictionary<string, JsonElement>? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

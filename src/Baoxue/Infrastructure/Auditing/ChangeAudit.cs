using System.Text.Encodings.Web;
using System.Text.Json;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Baoxue.Infrastructure.Auditing;

/// <summary>Turns tracked changes into audit lines, refusing any write outside the user's jurisdiction.</summary>
internal static class ChangeAudit
{
    private static readonly HashSet<string> Secret = new(StringComparer.Ordinal)
    {
        nameof(AppUser.PasswordHash), nameof(AppUser.SecurityStamp), nameof(AppUser.ConcurrencyStamp), "Value",
        nameof(Student.IdNumberCipher), nameof(Student.IdNumberHash),
        nameof(ServiceAccount.SecretHash), nameof(ServiceAccount.Stamp),
    };

    // Personal details kept in the log only as they are shown on screen.
    private static readonly HashSet<string> Masked = new(StringComparer.Ordinal) { nameof(Guardian.Phone) };

    internal static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static List<AuditEntry> Describe(BaoxueDb db, IEnumerable<EntityEntry> entries)
    {
        var lines = new List<AuditEntry>();
        var scope = db.ScopePath;
        var now = db.Clock.GetUtcNow().UtcDateTime;
        foreach (var entry in entries)
        {
            // Key-ring entries are infrastructure (and their XML is key material, even encrypted).
            if (entry.Entity is AuditEntry or Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey || entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            var path = entry.Entity is IScoped scoped ? scoped.Path : scope is null or PlacePath.Nothing ? "" : scope;
            // Signing in keeps its own books on the account (failed attempts, lockout, stamps) before anyone is signed in.
            if (scope is not null && entry.Entity is IScoped && !(entry.Entity is AppUser && db.SigningIn))
            {
                var original = entry.State == EntityState.Added ? path : (string?)entry.Property(nameof(IScoped.Path)).OriginalValue ?? "";
                // A two-sided record (a transfer) may be written from either side.
                var target = entry.Entity is IDualScoped dual ? dual.TargetPath : null;
                var fromEitherSide = target is not null && PlacePath.IsWithin(target, scope);
                if (!fromEitherSide && (!PlacePath.IsWithin(path, scope) || !PlacePath.IsWithin(original, scope)))
                {
                    throw new ScopeViolationException(entry.Metadata.ClrType.Name, entry.State == EntityState.Added ? path : original);
                }
            }

            var properties = entry.Properties.Where(p => entry.State != EntityState.Modified || p.IsModified).ToList();
            if (entry.State == EntityState.Modified && properties.All(p => Equals(p.OriginalValue, p.CurrentValue)))
            {
                continue;
            }

            lines.Add(new AuditEntry
            {
                At = now,
                UserId = db.CurrentUser.Id,
                UserName = db.CurrentUser.UserName,
                Action = entry.State switch
                {
                    EntityState.Added => AuditAction.Create,
                    EntityState.Deleted => AuditAction.Delete,
                    _ => AuditAction.Update,
                },
                EntityType = entry.Metadata.ClrType.Name,
                EntityId = string.Join(",", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p.Name).CurrentValue)),
                Path = path,
                Before = entry.State == EntityState.Added ? null : Serialize(properties, p => p.OriginalValue),
                After = entry.State == EntityState.Deleted ? null : Serialize(properties, p => p.CurrentValue),
                IpAddress = db.CurrentUser.IpAddress,
                PreviousHash = "",
            });
        }
        return lines;
    }

    /// <summary>One line per entity type and action, counting rows, for a batch.</summary>
    public static List<AuditEntry> Summarise(BaoxueDb db, List<AuditEntry> lines, string description) =>
        [.. lines.GroupBy(l => (l.EntityType, l.Action)).Select(g => new AuditEntry
        {
            At = g.First().At,
            UserId = db.CurrentUser.Id,
            UserName = db.CurrentUser.UserName,
            Action = g.Key.Action,
            EntityType = g.Key.EntityType,
            EntityId = null,
            Path = LongestCommonPath(g.Select(l => l.Path)),
            After = JsonSerializer.Serialize(new { batch = description, rows = g.Count(), first = g.First().EntityId, last = g.Last().EntityId }, Json),
            IpAddress = db.CurrentUser.IpAddress,
            PreviousHash = "",
        })];

    /// <summary>
    /// One line for a unit of work whose rows belong together (a class's attendance submission): each row named with
    /// its type, action and values, so nothing a row line would have said is lost.
    /// </summary>
    public static List<AuditEntry> Collapse(BaoxueDb db, List<AuditEntry> lines, (AuditAction Action, string EntityType, string EntityId, string Description) unit) =>
        lines.Count == 0 ? lines :
        [new AuditEntry
        {
            At = lines[0].At,
            UserId = db.CurrentUser.Id,
            UserName = db.CurrentUser.UserName,
            Action = unit.Action,
            EntityType = unit.EntityType,
            EntityId = unit.EntityId,
            Path = LongestCommonPath(lines.Select(l => l.Path)),
            After = UnitJson(lines, unit.Description),
            IpAddress = db.CurrentUser.IpAddress,
            PreviousHash = "",
        }];

    /// <summary>
    /// {"unit":…,"rows":[{"type","id","action","before","after"}…]}: each row's values are the JSON <see cref="Describe"/>
    /// wrote for it, copied in as they are instead of parsed and written again (a submission pays this on every save).
    /// </summary>
    internal static string UnitJson(List<AuditEntry> lines, string description)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256 * (lines.Count + 1));
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder }))
        {
            json.WriteStartObject();
            json.WriteString("unit", description);
            json.WriteStartArray("rows");
            foreach (var l in lines)
            {
                json.WriteStartObject();
                json.WriteString("type", l.EntityType);
                json.WriteString("id", l.EntityId);
                json.WriteString("action", l.Action.ToString());
                Raw(json, "before", l.Before);
                Raw(json, "after", l.After);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);

        static void Raw(Utf8JsonWriter json, string name, string? value)
        {
            json.WritePropertyName(name);
            if (value is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteRawValue(value, skipInputValidation: true);
            }
        }
    }

    private static string LongestCommonPath(IEnumerable<string> paths)
    {
        string? common = null;
        foreach (var p in paths)
        {
            if (common is null)
            {
                common = p;
                continue;
            }
            var i = 0;
            while (i < common.Length && i < p.Length && common[i] == p[i])
            {
                i++;
            }
            common = common[..(common.LastIndexOf('/', Math.Max(0, i - 1)) + 1)];
        }
        return common ?? "";
    }

    private static string Serialize(List<PropertyEntry> properties, Func<PropertyEntry, object?> value)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in properties)
        {
            var v = value(p);
            values[p.Metadata.Name] = v is null ? null
                : Secret.Contains(p.Metadata.Name) ? "***"
                // File contents are kept apart from the log; their size and the attachment's SHA-256 identify them.
                : v is byte[] bytes ? $"{bytes.Length} bytes"
                : Masked.Contains(p.Metadata.Name) && v is string text ? PhoneNumber.Mask(text)
                // The log is read by roles that may not reveal IDs (inspectors), beside the birth date: keep IDs concealed (decision 0014).
                : p.Metadata.Name == nameof(Student.IdNumberMasked) && v is string masked ? IdDisclosure.Conceal(masked)
                : p.Metadata.Name == nameof(Student.RegistryNumber) && v is string number ? IdDisclosure.Concealed.RegistryNumber(number)
                : p.Metadata.Name == nameof(Student.BirthDate) && v is DateOnly born ? IdDisclosure.BirthMonth(born)
                : v;
        }
        return JsonSerializer.Serialize(values, Json);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Baoxue.Data;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baoxue.Infrastructure.Auditing;

/// <summary>
/// Anchors the head of the audit chain outside the database. The hash chain shows any edited or removed line
/// except the newest ones; the checkpoint file (<c>Security:AuditCheckpointFile</c>) holds the sequence and hash of
/// the head as last seen, signed with an HMAC key derived from the personal-data keys (not in the database). If the
/// line it names is gone or changed, verification says so. Lines newer than the last checkpoint (at most
/// <c>Security:AuditCheckpointMinutes</c> old) are not covered.
/// </summary>
public sealed class AuditCheckpoint(PersonalData personal, IOptions<SecurityOptions> options, IHostEnvironment environment, TimeProvider clock, ILogger<AuditCheckpoint> log)
{
    public sealed record Mark(long Sequence, string Hash, string FirstHash, DateTime At, string Signature);

    private readonly SemaphoreSlim _writing = new(1, 1);

    public string FilePath => Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.AuditCheckpointFile));

    private byte[] Key => personal.DeriveKey("audit-checkpoint");

    private string Sign(long sequence, string hash, string firstHash, DateTime at) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes($"{sequence}|{hash}|{firstHash}|{at:O}")));

    /// <summary>The checkpoint on file: null when there is none; a mark with an empty signature when its signature does not fit.</summary>
    public Mark? Read()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }
        try
        {
            var mark = JsonSerializer.Deserialize<Mark>(File.ReadAllText(FilePath));
            if (mark is null)
            {
                return null;
            }
            var expected = Sign(mark.Sequence, mark.Hash, mark.FirstHash, mark.At);
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(mark.Signature ?? ""))
                ? mark
                : mark with { Signature = "" };
        }
        catch (JsonException)
        {
            return new Mark(0, "", "", default, "");
        }
    }

    /// <summary>
    /// Signs the current head into the file, only if the previous checkpoint's line is still there as it was:
    /// a writer that signed whatever head it finds would bless a removal.
    /// </summary>
    public async Task<Mark?> WriteAsync(BaoxueDb db, CancellationToken ct = default)
    {
        await _writing.WaitAsync(ct);
        try
        {
            var lines = db.AuditEntries.IgnoreQueryFilters().AsNoTracking();
            var head = await lines.OrderByDescending(a => a.Sequence).Select(a => new { a.Sequence, a.Hash }).FirstOrDefaultAsync(ct);
            if (head is null)
            {
                return null;
            }
            var first = await lines.OrderBy(a => a.Sequence).Select(a => a.Hash).FirstAsync(ct);
            var previous = Read();
            if (previous is not null && await ProblemAsync(db, previous, ct) is { } problem)
            {
                log.LogError("Audit checkpoint not advanced: {Problem}", problem);
                return null;
            }
            if (previous is not null && previous.Sequence == head.Sequence)
            {
                return previous;
            }
            var at = clock.GetUtcNow().UtcDateTime;
            var mark = new Mark(head.Sequence, head.Hash, first, at, Sign(head.Sequence, head.Hash, first, at));
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            var temporary = FilePath + ".new";
            await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(mark), ct);
            File.Move(temporary, FilePath, overwrite: true);
            return mark;
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>What is wrong between the database and the checkpoint on file, or null when it fits (or there is none).</summary>
    public async Task<string?> ProblemAsync(BaoxueDb db, Mark? mark, CancellationToken ct = default)
    {
        if (mark is null)
        {
            return null;
        }
        if (mark.Signature.Length == 0)
        {
            return "the checkpoint's signature does not fit";
        }
        var lines = db.AuditEntries.IgnoreQueryFilters().AsNoTracking();
        var first = await lines.OrderBy(a => a.Sequence).Select(a => a.Hash).FirstOrDefaultAsync(ct);
        if (first is not null && first != mark.FirstHash)
        {
            return "the checkpoint belongs to another audit log";
        }
        var anchored = await lines.Where(a => a.Sequence == mark.Sequence).Select(a => a.Hash).FirstOrDefaultAsync(ct);
        return anchored == mark.Hash ? null : $"line {mark.Sequence}, signed at {mark.At:O}, is missing or changed";
    }
}

/// <summary>Signs the audit head every <c>Security:AuditCheckpointMinutes</c>.</summary>
public sealed class AuditCheckpointWriter(AuditCheckpoint checkpoint, SystemDb system, IOptions<SecurityOptions> options, ILogger<AuditCheckpointWriter> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.Value.AuditCheckpointMinutes)));
        do
        {
            try
            {
                await using var db = system.Open("audit-checkpoint");
                await checkpoint.WriteAsync(db, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Audit checkpoint failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

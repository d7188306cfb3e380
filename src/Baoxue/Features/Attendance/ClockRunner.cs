using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Attendance;

/// <summary>
/// The daily run of the absence clock for one county day. Every child with an unexcused absence that day or a clock
/// already running is evaluated afresh from the calendar, absences, leave and status (<see cref="AbsenceClockRules"/>);
/// the stored clock takes the result, and the ledger hears of a suspected dropout, a dropout or a return through
/// <see cref="ILedgerIntake"/> with a source key per run of absences. Recomputing from history and keyed reports make
/// the run idempotent: a run that crashed half-way and runs again counts nothing twice. Scoped: it works in its scope's
/// <see cref="BaoxueDb"/> (unrestricted outside a request: the Quartz job's scope), the unit of work the ledger's intake joins.
/// </summary>
public sealed class ClockRunner(BaoxueDb db, ILedgerIntake ledger, IOptions<AttendanceOptions> options, ILogger<ClockRunner> log)
{
    public const int BatchSize = 2000;

    public sealed record Summary(DateOnly Date, bool AlreadyRan, int Evaluated, int Changed, int Reported);

    /// <summary>Where the last run's time went (reading, evaluating, reporting to the ledger, saving), for its log line and the benchmark.</summary>
    public sealed class Phases
    {
        public System.Diagnostics.Stopwatch Read { get; } = new();
        public System.Diagnostics.Stopwatch Evaluate { get; } = new();
        public System.Diagnostics.Stopwatch Report { get; } = new();
        public System.Diagnostics.Stopwatch Save { get; } = new();

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"read {Read.Elapsed.TotalSeconds:F1} s, evaluate {Evaluate.Elapsed.TotalSeconds:F1} s, report {Report.Elapsed.TotalSeconds:F1} s, save {Save.Elapsed.TotalSeconds:F1} s");
    }

    public Phases Timings { get; } = new();

    public async Task<Summary> RunAsync(DateOnly date, string instance, CancellationToken ct = default)
    {
        if (db.CurrentUser.ScopePath is not null)
        {
            throw new InvalidOperationException("The absence clock runs as the system, outside any request.");
        }
        var run = await db.ClockRuns.FirstOrDefaultAsync(r => r.Date == date, ct);
        if (run is { FinishedAt: not null })
        {
            return new Summary(date, true, run.Evaluated, run.Changed, run.Reported);
        }
        if (run is null)
        {
            run = new ClockRun { Date = date, StartedAt = db.County.UtcNow, Instance = instance };
            db.ClockRuns.Add(run);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (Infrastructure.Integrity.Saving.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
                // Another server started the same day's run first: that run is the one.
                return new Summary(date, true, 0, 0, 0);
            }
        }

        var from = date.AddDays(-AbsenceClockRules.LookBackDays);
        var absentToday = db.AttendanceMarks.AsNoTracking()
            .Where(m => m.Kind == AttendanceKind.Absent && db.AttendanceRecords.Any(r => r.CurrentSubmissionId == m.SubmissionId && r.Date == date && r.Lesson == 0))
            .Select(m => m.StudentId);
        var running = db.AbsenceClocks.AsNoTracking().Where(c => c.Stage != ClockStage.None || c.PausedBy != null).Select(c => c.StudentId);
        Timings.Read.Start();
        var candidates = await absentToday.Union(running).Distinct().ToListAsync(ct);
        Timings.Read.Stop();
        candidates.Sort();

        int evaluated = 0, changed = 0, reported = 0;
        var runId = run.Id;
        foreach (var batch in candidates.Chunk(BatchSize))
        {
            // Each batch is its own unit of work (clocks and the ledger's entries saved together), then forgotten.
            db.ChangeTracker.Clear();
            var (e, c, r) = await RunBatchAsync(batch, date, from, ct);
            evaluated += e;
            changed += c;
            reported += r;
        }
        db.ChangeTracker.Clear();
        run = await db.ClockRuns.SingleAsync(r => r.Id == runId, ct);
        run.FinishedAt = db.County.UtcNow;
        run.Evaluated = evaluated;
        run.Changed = changed;
        run.Reported = reported;
        await db.SaveChangesAsync(ct);
        log.LogInformation("Absence clock {Date}: {Evaluated} evaluated, {Changed} changed, {Reported} reported to the ledger ({Timings})", date, evaluated, changed, reported, Timings);
        return new Summary(date, false, evaluated, changed, reported);
    }

    // Each batch's id lists go as one array parameter (EF.Parameter): EF's default of one SQL parameter per element made
    // a new query, compiled and JIT-compiled again, for every list length the batches had (7.5 of 17 s at a million students).
    private async Task<(int Evaluated, int Changed, int Reported)> RunBatchAsync(Guid[] ids, DateOnly date, DateOnly from, CancellationToken ct)
    {
        using var _ = db.AuditAsBatch($"absence clock {date:yyyy-MM-dd}");
        var settings = options.Value.Clock;
        Timings.Read.Start();
        var students = await db.Students.AsNoTracking().Where(s => EF.Parameter(ids).Contains(s.Id))
            .Select(s => new { s.Id, s.SchoolId, s.ClassId, s.Status, s.Path }).ToListAsync(ct);
        // From each absence to its roll by primary keys (mark → submission → record), the roll counting only while the
        // submission is its current one: joining the rolls on their current submission instead hashed every roll in the
        // lookback for each batch (15 million rows at a province).
        var absences = await db.AttendanceMarks.AsNoTracking()
            .Where(m => EF.Parameter(ids).Contains(m.StudentId) && m.Kind == AttendanceKind.Absent && m.Submission!.Record!.CurrentSubmissionId == m.SubmissionId
                && m.Submission.Record.Lesson == 0 && m.Submission.Record.Date >= from && m.Submission.Record.Date <= date)
            .Select(m => new { m.StudentId, m.Submission!.Record!.Date })
            .ToListAsync(ct);
        var leave = await db.LeaveRequests.AsNoTracking().Where(l => EF.Parameter(ids).Contains(l.StudentId) && l.State == LeaveState.Approved && l.To >= from && l.From <= date)
            .Select(l => new { l.StudentId, l.From, l.To }).ToListAsync(ct);
        var clocks = await db.AbsenceClocks.Where(c => EF.Parameter(ids).Contains(c.StudentId)).ToDictionaryAsync(c => c.StudentId, ct);
        var calendars = await Calendars.ForSchoolsAsync(db, [.. students.Select(s => s.SchoolId).Distinct()], date, ct);
        var absentBy = absences.ToLookup(a => a.StudentId, a => a.Date);
        var leaveBy = leave.ToLookup(l => l.StudentId);

        // The days each class took its roll, read only as far back as the evaluation can walk: a child's walk stops at
        // the first school day they were there, so a class whose children's current runs of absences all began in the
        // last weeks needs only those weeks (RecentDays); others get the whole look-back. Reading every class's whole
        // look-back was a third of a province's run. A walk that goes past its class's window (weeks without a roll)
        // is evaluated again with the whole look-back below.
        var recentFrom = date.AddDays(-RecentDays);
        var windowOf = new Dictionary<Guid, DateOnly>();
        foreach (var s in students)
        {
            if (s.ClassId is not { } classId || !calendars.TryGetValue(s.SchoolId, out var calendar))
            {
                continue;
            }
            var start = CurrentRunStart(calendar, date, absentBy[s.Id].ToHashSet()).AddDays(-RunMarginDays);
            var window = start >= recentFrom ? recentFrom : from;
            windowOf[classId] = windowOf.TryGetValue(classId, out var w) && w < window ? w : window;
        }
        var takenBy = new Dictionary<Guid, HashSet<DateOnly>>();
        await ReadRollsAsync(takenBy, [.. windowOf.Where(w => w.Value == recentFrom).Select(w => w.Key)], recentFrom, date, ct);
        await ReadRollsAsync(takenBy, [.. windowOf.Where(w => w.Value != recentFrom).Select(w => w.Key)], from, date, ct);
        Timings.Read.Stop();
        Timings.Evaluate.Start();
        var states = new List<(Guid Id, string Path, ClockState State)>(students.Count);
        foreach (var s in students)
        {
            if (!calendars.TryGetValue(s.SchoolId, out var calendar))
            {
                continue;
            }
            var pauses = leaveBy[s.Id].Select(l => new ClockPause(new DayRange(l.From, l.To), "Clock.Paused.Leave")).ToList();
            if (s.Status is StudentStatus.Suspended or StudentStatus.Deferred or StudentStatus.Exempted)
            {
                pauses.Add(new ClockPause(new DayRange(from, date), s.Status switch
                {
                    StudentStatus.Suspended => "Clock.Paused.Suspended",
                    StudentStatus.Deferred => "Clock.Paused.Deferred",
                    _ => "Clock.Paused.Exempted",
                }));
            }
            var takenDays = s.ClassId is { } classId ? takenBy.GetValueOrDefault(classId) ?? [] : [];
            var windowStart = s.ClassId is { } c && windowOf.TryGetValue(c, out var ws) ? ws : from;
            var beyond = false;
            var unexcused = absentBy[s.Id].ToHashSet();
            bool Taken(DateOnly d)
            {
                beyond |= d < windowStart;
                return takenDays.Contains(d);
            }
            var offRoll = Student.IsOffRoll(s.Status) && s.Status is not (StudentStatus.Deferred or StudentStatus.Exempted);
            var state = offRoll ? ClockState.Stopped : AbsenceClockRules.Evaluate(calendar, date, unexcused, Taken, pauses, settings);
            if (beyond && s.ClassId is { } longClass)
            {
                // Weeks without a roll in this class: read its whole look-back and walk again.
                windowOf[longClass] = from;
                takenBy.Remove(longClass);
                await ReadRollsAsync(takenBy, [longClass], from, date, ct);
                var all = takenBy.GetValueOrDefault(longClass) ?? [];
                state = AbsenceClockRules.Evaluate(calendar, date, unexcused, all.Contains, pauses, settings);
            }
            states.Add((s.Id, s.Path, state));
        }
        Timings.Evaluate.Stop();
        Timings.Report.Start();
        // The ledger's receipts for this batch's runs of absences, read at once and tracked: the intake finds a report it
        // already has among them, where it would otherwise ask the database child by child every evening.
        var keys = states.Where(e => e.State.PausedBy is null && e.State.Stage >= ClockStage.SuspectedDropout)
            .SelectMany(e => new[] { SourceKey(e.Id, e.State), SourceKey(e.Id, e.State) + ":dropout" }).ToList();
        if (keys.Count > 0)
        {
            await db.LedgerReportReceipts.IgnoreQueryFilters().Where(r => r.Source == LedgerSource.Attendance && EF.Parameter(keys).Contains(r.SourceKey)).LoadAsync(ct);
        }
        int changed = 0, reported = 0;
        foreach (var (id, path, state) in states)
        {
            clocks.TryGetValue(id, out var clock);
            var before = clock?.Stage ?? ClockStage.None;
            if (clock is null)
            {
                if (state.Stage == ClockStage.None && state.PausedBy is null)
                {
                    continue;
                }
                clock = new AbsenceClock { StudentId = id, Path = path };
                db.AbsenceClocks.Add(clock);
            }
            var wasRunning = before != ClockStage.None;
            if (Apply(clock, state, date, path))
            {
                changed++;
            }
            if (state.PausedBy is null && state.Stage >= ClockStage.SuspectedDropout)
            {
                var key = SourceKey(id, state);
                var result = await ledger.ReportAsync(new LedgerReport(id, null, LedgerList.SuspectedDropout, LedgerSource.Attendance, key,
                    Reason(state, LedgerList.SuspectedDropout), state.SuspectedOn!.Value), ct);
                reported += result.Outcome == LedgerIntakeOutcome.Duplicate ? 0 : 1;
                if (state.Stage == ClockStage.Dropout)
                {
                    result = await ledger.ReportAsync(new LedgerReport(id, null, LedgerList.Dropout, LedgerSource.Attendance, key + ":dropout",
                        Reason(state, LedgerList.Dropout), state.DropoutOn!.Value), ct);
                    reported += result.Outcome == LedgerIntakeOutcome.Duplicate ? 0 : 1;
                }
            }
            if (wasRunning && state.Stage == ClockStage.None && state.LastPresent is { } back && before >= ClockStage.SuspectedDropout)
            {
                await ledger.ReturnedAsync(id, LedgerSource.Attendance, back, ct);
            }
        }
        Timings.Report.Stop();
        Timings.Save.Start();
        await db.SaveChangesAsync(ct);
        Timings.Save.Stop();
        return (students.Count, changed, reported);
    }

    /// <summary>How far back the rolls of a class are read when its children's current runs of absences are recent.</summary>
    private const int RecentDays = 42;

    /// <summary>Days (weeks without a roll, holidays) allowed below the start of a child's current run before the class's window.</summary>
    private const int RunMarginDays = 14;

    /// <summary>The first school day of the child's current run of unexcused absences up to today, or today when there is none.</summary>
    private static DateOnly CurrentRunStart(SchoolCalendar calendar, DateOnly date, HashSet<DateOnly> unexcused)
    {
        var start = date;
        for (var d = date; d > date.AddDays(-AbsenceClockRules.LookBackDays); d = d.AddDays(-1))
        {
            if (!calendar.IsSchoolDay(d))
            {
                continue;
            }
            if (!unexcused.Contains(d))
            {
                break;
            }
            start = d;
        }
        return start;
    }

    private async Task ReadRollsAsync(Dictionary<Guid, HashSet<DateOnly>> into, List<Guid> classIds, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (classIds.Count == 0)
        {
            return;
        }
        var rows = await db.AttendanceRecords.AsNoTracking().Where(r => EF.Parameter(classIds).Contains(r.ClassId) && r.Lesson == 0 && r.Date >= from && r.Date <= to)
            .Select(r => new { r.ClassId, r.Date }).ToListAsync(ct);
        foreach (var r in rows)
        {
            if (!into.TryGetValue(r.ClassId, out var days))
            {
                into[r.ClassId] = days = [];
            }
            days.Add(r.Date);
        }
    }

    /// <summary>The ledger's source key of a run of absences: one report per child per run, however many evenings it lasts.</summary>
    private static string SourceKey(Guid studentId, ClockState state) => $"attendance:{studentId}:{state.FirstDay:yyyy-MM-dd}";

    /// <summary>Copies the computed state onto the stored clock; true when anything a user reads changed.</summary>
    public static bool Apply(AbsenceClock clock, ClockState state, DateOnly date, string path)
    {
        var returned = clock.Stage != ClockStage.None && state.Stage == ClockStage.None && state.LastPresent is not null
            ? state.LastPresent
            : clock.ReturnedOn;
        var newRun = state.FirstDay is not null && state.FirstDay != clock.FirstDay;
        var changed = clock.Stage != state.Stage || clock.DaysCounted != state.DaysCounted || clock.PausedBy != state.PausedBy || clock.FirstDay != state.FirstDay;
        clock.Stage = state.Stage;
        clock.FirstDay = state.FirstDay ?? (state.Stage == ClockStage.None ? clock.FirstDay : null);
        clock.DaysCounted = state.DaysCounted;
        clock.AlertedOn = state.AlertedOn;
        clock.ActBy = state.ActBy;
        clock.SuspectedOn = state.SuspectedOn;
        clock.DropoutDue = state.DropoutDue;
        clock.DropoutOn = state.DropoutOn;
        clock.PausedBy = state.PausedBy;
        clock.ReturnedOn = newRun ? null : returned;
        if (newRun)
        {
            // A new run of absences is a new case for the school: what it did about the last one does not answer this one.
            clock.SchoolAction = null;
            clock.SchoolActedAt = null;
        }
        clock.EvaluatedOn = date;
        clock.Path = path;
        return changed;
    }

    /// <summary>The words the ledger entry shows: in Chinese, the language of the record (the ledger prints them as they are).</summary>
    public static string Reason(ClockState state, LedgerList list)
    {
        static string Day(DateOnly d) => $"{d.Year}年{d.Month}月{d.Day}日";
        var first = Day(state.FirstDay!.Value);
        var days = state.DaysCounted.ToString(CultureInfo.InvariantCulture);
        return list == LedgerList.Dropout
            ? $"自{first}起无故缺勤，{Day(state.SuspectedOn!.Value)}列为疑似辍学后逾期未返校，已连续{days}个上课日未到校"
            : $"自{first}起连续{days}个上课日无故缺勤，学校预警后仍未返校";
    }
}

using System.Diagnostics;
using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Attendance;
using Baoxue.Features.Ledger;
using Baoxue.Infrastructure.Security;
using Baoxue.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

/// <summary>
/// The app's own daily clock run (<see cref="ClockRunner"/>, as the Quartz job calls it) over a province on PostgreSQL.
/// <c>generate</c>: the app's migrations make the schema; SQL generates a province (2 cities × 3 counties × 15 townships
/// × 20 schools), the students in classes of 40, and this term so far (1 September to today, the National Day week
/// off): one roll per class per school day, each through a submission, and 3 % of the students absent every day.
/// Today's absent children are each absent for a run of days back from today (70 % one day, 20 % one to five, 7 % five
/// to 24, 3 % 25 to 54, so every stage of the clock is reached); the rest of each past day's 3 % are other children
/// absent that day only. <c>run</c>: one day's run, in its own process so that its peak memory is its own.
/// Ids come from a bijection of the row number rather than gen_random_uuid: rows of different tables then refer to
/// each other by arithmetic instead of joins, and the ids still spread over their indexes as random ids do.
/// </summary>
internal static class ClockDb
{
    public static readonly DateOnly Today = new(2026, 12, 1);
    private const int PerClass = 40;
    private const int Schools = 1800;

    private static SystemDb Open(string connection, out ServiceProvider provider)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new DbContextOptionsBuilder<BaoxueDb>().UseNpgsql(connection).Options);
        provider = services.BuildServiceProvider();
        return new SystemDb(provider, new CountyClock(TimeProvider.System));
    }

    public static async Task<int> GenerateAsync(string connection, long students, double absentPercent)
    {
        var system = Open(connection, out var provider);
        await using var _ = provider;
        var perDay = (long)(students * absentPercent / 100);
        var watch = Stopwatch.StartNew();
        await using var db = system.Open("bench");
        db.Database.SetCommandTimeout(TimeSpan.FromHours(3));
        await db.Database.MigrateAsync();
        async Task Step(string name, string sql)
        {
            var w = Stopwatch.StartNew();
            await db.Database.ExecuteSqlRawAsync(sql);
            Console.Error.WriteLine($"[clockdb] {name}: {w.Elapsed.TotalSeconds:N0} s");
        }
        // The numbers spliced below are this program's own; nothing comes from outside.
#pragma warning disable EF1002
        await Step("places and classes", $"""
            CREATE FUNCTION bench_id(tag int, k bigint) RETURNS uuid IMMUTABLE PARALLEL SAFE LANGUAGE sql AS
              $$ SELECT (lpad(to_hex(tag), 8, '0') || '-0000-4000-8000-' || lpad(to_hex((k * 2654435761) % 281474976710656), 12, '0'))::uuid $$;
            {ProvincePlaces.Divisions}
            CREATE TABLE bench_schools AS
              SELECT row_number() OVER (ORDER BY d."Code", s) - 1 AS i, d."Id" AS township, d."Name" || '学校' || s AS name,
                     lpad((d."Code"::bigint % 1000000)::text,6,'0')||lpad(s::text,4,'0') AS code, d."Path" AS township_path
              FROM "Divisions" d, generate_series(1,20) s WHERE d."Level" = 4;
            INSERT INTO "Schools" ("Id","Code","Name","Kind","TownshipId","IsActive","Path")
              SELECT bench_id(1, i), code, name, 3, township, true, township_path || code || '/' FROM bench_schools;
            INSERT INTO "SchoolYears" ("Id","StartYear","StartDate","EndDate","IsCurrent") VALUES (bench_id(9, 0), 2026, DATE '2026-09-01', DATE '2027-08-31', true);
            INSERT INTO "Terms" ("Id","SchoolYearId","Number","StartDate","EndDate") VALUES
              (bench_id(9, 1), bench_id(9, 0), 1, DATE '2026-09-01', DATE '2027-01-22'),
              (bench_id(9, 2), bench_id(9, 0), 2, DATE '2027-02-20', DATE '2027-07-05');
            INSERT INTO "CalendarDays" ("Id","Date","IsSchoolDay","Name","SchoolId","Path")
              SELECT gen_random_uuid(), DATE '2026-10-01' + k, false, '国庆节', NULL, c."Path" FROM "Divisions" c, generate_series(0, 6) k WHERE c."Level" = 3;
            CREATE TABLE bench_classes AS
              SELECT c AS k, bench_id(2, c) AS id, bench_id(1, c % {Schools}) AS school, 1 + (c / {Schools}) % 9 AS grade, 1 + c / {Schools} / 9 AS number,
                     s.township_path || s.code || '/2026' || lpad((1 + (c / {Schools}) % 9)::text, 2, '0') || lpad((1 + c / {Schools} / 9)::text, 2, '0') || '/' AS path
              FROM generate_series(0, {(students + PerClass - 1) / PerClass - 1}) c JOIN bench_schools s ON s.i = c % {Schools};
            INSERT INTO "Classes" ("Id","SchoolId","SchoolYearId","Grade","Number","Path") SELECT id, school, bench_id(9, 0), grade, number, path FROM bench_classes;
            CREATE TABLE bench_days AS
              SELECT (row_number() OVER (ORDER BY d DESC) - 1)::int AS n, d::date AS d
              FROM generate_series(DATE '2026-09-01', DATE '{Today:yyyy-MM-dd}', INTERVAL '1 day') d
              WHERE extract(isodow FROM d) < 6 AND NOT (d BETWEEN DATE '2026-10-01' AND DATE '2026-10-07');
            CREATE TABLE bench_candidates AS
              SELECT i, CASE WHEN (i * 7919) % 100 < 70 THEN 1 WHEN (i * 7919) % 100 < 90 THEN 1 + (i * 31) % 5
                             WHEN (i * 7919) % 100 < 97 THEN 5 + (i * 17) % 20 ELSE 25 + (i * 13) % 30 END AS run
              FROM generate_series(0::bigint, {perDay - 1}) i;
            -- The bulk load skips the per-row foreign-key triggers (replica role below) and the secondary indexes, built
            -- again afterwards from their migrated definitions: inserting tens of millions of rows through them takes hours here.
            CREATE TABLE bench_saved_indexes AS SELECT indexname, indexdef FROM pg_indexes
              WHERE schemaname = 'public' AND tablename IN ('Students', 'AttendanceRecords', 'AttendanceSubmissions', 'AttendanceMarks') AND indexname NOT LIKE 'PK\_%';
            DO $$ DECLARE r record; BEGIN FOR r IN SELECT indexname FROM bench_saved_indexes LOOP EXECUTE format('DROP INDEX %I', r.indexname); END LOOP; END $$;
            """);
        await Step("students", $"""
            SET session_replication_role = replica;
            INSERT INTO "Students" ("Id","RegistryNumber","Name","NameKey","Gender","BirthDate","Ethnicity","SchoolId","ClassId","Grade","Status","Path")
              SELECT bench_id(3, g), 'L'||lpad(g::text,17,'0'), '学生', '', 1 + g % 2, DATE '2012-01-01' + (g % 3000)::int, '01', c.school, c.id, c.grade, 1, c.path
              FROM generate_series(0::bigint, {students - 1}) g JOIN bench_classes c ON c.k = g / {PerClass};
            """);
        await Step("rolls", $"""
            SET session_replication_role = replica;
            INSERT INTO "AttendanceRecords" ("Id","Version","ClassId","SchoolId","Date","Lesson","CurrentSubmissionId","Revision","OnRoll","Absent","FirstSubmittedAt","Path")
              SELECT bench_id(4, c.k * 100 + d.n), 0, c.id, c.school, d.d, 0, bench_id(5, c.k * 100 + d.n), 1, {PerClass}, 0, d.d + TIME '00:30', c.path
              FROM bench_classes c, bench_days d;
            INSERT INTO "AttendanceSubmissions" ("Id","RecordId","ClientKey","Revision","SubmittedBy","SubmittedAt")
              SELECT bench_id(5, c.k * 100 + d.n), bench_id(4, c.k * 100 + d.n), 'bench:' || (c.k * 100 + d.n), 1, 'bench', d.d + TIME '00:30'
              FROM bench_classes c, bench_days d;
            """);
        await Step("absences", $"""
            SET session_replication_role = replica;
            INSERT INTO "AttendanceMarks" ("Id","SubmissionId","StudentId","Kind")
              SELECT bench_id(6, d.n * {students} + c.i), bench_id(5, (c.i / {PerClass}) * 100 + d.n), bench_id(3, c.i), 1
              FROM bench_candidates c JOIN bench_days d ON d.n < c.run;
            INSERT INTO "AttendanceMarks" ("Id","SubmissionId","StudentId","Kind")
              SELECT bench_id(6, d.n * {students} + o.g), bench_id(5, (o.g / {PerClass}) * 100 + d.n), bench_id(3, o.g), 1
              FROM bench_days d
              CROSS JOIN LATERAL (SELECT {perDay} + ((d.n * {perDay} + k) * 2654435761) % {students - perDay} AS g
                                  FROM generate_series(0::bigint, {perDay} - 1 - (SELECT count(*) FROM bench_candidates c WHERE c.run > d.n)) k) o;
            """);
        await Step("indexes", """
            SET maintenance_work_mem = '1GB';
            DO $$ DECLARE r record; BEGIN FOR r IN SELECT indexdef FROM bench_saved_indexes LOOP EXECUTE r.indexdef; END LOOP; END $$;
            DROP TABLE bench_saved_indexes, bench_classes, bench_candidates, bench_schools;
            """);
        // As autovacuum leaves a live database: statistics, and the visibility map that lets index-only scans skip the table.
        await Step("vacuum", "VACUUM ANALYZE");
#pragma warning restore EF1002
        Console.WriteLine(string.Join('\t', "students", students.ToString(CultureInfo.InvariantCulture),
            "school_days", await db.Database.SqlQueryRaw<int>("""SELECT count(*)::int AS "Value" FROM bench_days""").SingleAsync(),
            "rolls", (await db.AttendanceRecords.LongCountAsync()).ToString(CultureInfo.InvariantCulture),
            "absences", (await db.AttendanceMarks.LongCountAsync()).ToString(CultureInfo.InvariantCulture),
            "generate_s", watch.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)));
        return 0;
    }

    /// <summary>
    /// Days' runs exactly as the Quartz job makes them (the app's <see cref="ClockRunner"/> in a system context), one after
    /// the other in this process as in the app server: the first pays for JIT-compiling the run's code, the next run
    /// with that code warm, as an app server that has run before does. Each with its time; peak memory for the process.
    /// </summary>
    public static async Task<int> RunAsync(string connection, IEnumerable<DateOnly> dates)
    {
        var system = Open(connection, out var provider);
        await using var _ = provider;
        var personal = new PersonalData(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        foreach (var date in dates)
        {
            var watch = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            ClockRunner.Summary summary;
            ClockRunner.Phases phases;
            await using (var db = system.Open("system"))
            {
                db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
                var runner = new ClockRunner(db, LedgerIntake.For(db, personal), Options.Create(new AttendanceOptions()), NullLogger<ClockRunner>.Instance);
                summary = await runner.RunAsync(date, "bench");
                phases = runner.Timings;
            }
            watch.Stop();
            var process = Process.GetCurrentProcess();
            await using var read = system.Open("bench");
            var stages = await read.AbsenceClocks.GroupBy(c => c.Stage).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            var ledger = await read.LedgerEntries.IgnoreQueryFilters().CountAsync();
            Console.WriteLine(string.Join('\t', "date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                "run_s", watch.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                "cpu_s", (process.TotalProcessorTime - cpu).TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                "peak_mb", (process.PeakWorkingSet64 / 1048576).ToString(CultureInfo.InvariantCulture),
                "phases", phases.ToString(), "evaluated", summary.Evaluated, "changed", summary.Changed, "reported", summary.Reported, "already_ran", summary.AlreadyRan,
                "clocks", string.Join(',', stages.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Count}")), "ledger_entries", ledger));
        }
        return 0;
    }
}

using System.Diagnostics;
using System.Globalization;
using Baoxue.Features.Attendance;
using Npgsql;

/// <summary>
/// The daily clock's reads for a province from PostgreSQL. A province's term so far (1 September to today) is written
/// into tables with the columns the run reads and the app's indexes on them (AttendanceModel): one roll row per class
/// per school day, 3 % of students absent each day (the candidates' runs of 1–55 days ending today, as in "clock", and
/// random children on the other days). Then the run's reads as ClockRunner does them: today's absent children, then per
/// batch of 2,000 the students, their unexcused days, their classes' rolls and their approved leave, then the pure
/// evaluation. Time to generate, time to read, time to evaluate, peak working set.
/// </summary>
internal static class ClockDb
{
    public static async Task<int> RunAsync(string connection, int students, double absentPercent)
    {
        await using var data = NpgsqlDataSource.Create(connection);
        var today = new DateOnly(2026, 12, 1);
        var calendar = new SchoolCalendar([new DayRange(new DateOnly(2026, 9, 1), new DateOnly(2027, 1, 22))],
            Enumerable.Range(0, 7).ToDictionary(i => new DateOnly(2026, 10, 1).AddDays(i), _ => false));
        var schoolDays = new List<DateOnly>();
        for (var d = today; d >= new DateOnly(2026, 9, 1); d = d.AddDays(-1))
        {
            if (calendar.IsSchoolDay(d))
            {
                schoolDays.Add(d);
            }
        }
        var perDay = (int)(students * absentPercent / 100);
        const int perClass = 40;
        var generate = Stopwatch.StartNew();
        await ExecAsync(data, """
            DROP TABLE IF EXISTS cb_students, cb_records, cb_marks, cb_leave, cb_days;
            CREATE UNLOGGED TABLE cb_students ("Id" uuid, "SchoolId" uuid, "ClassId" uuid, "Status" int, "Path" varchar(256));
            CREATE UNLOGGED TABLE cb_records ("Id" uuid, "ClassId" uuid, "Date" date, "Lesson" int, "CurrentSubmissionId" uuid);
            CREATE UNLOGGED TABLE cb_marks ("Id" uuid, "SubmissionId" uuid, "StudentId" uuid, "Kind" int);
            CREATE UNLOGGED TABLE cb_leave ("StudentId" uuid, "State" int, "From" date, "To" date);
            CREATE TABLE cb_days (n int, d date);
            """);
        await using (var import = await data.OpenConnectionAsync())
        await using (var writer = await import.BeginBinaryImportAsync("COPY cb_days (n, d) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < schoolDays.Count; i++)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(i, NpgsqlTypes.NpgsqlDbType.Integer);
                await writer.WriteAsync(schoolDays[i], NpgsqlTypes.NpgsqlDbType.Date);
            }
            await writer.CompleteAsync();
        }
        // Student n is in class n / 40; day n counts back from today (0 = today). Ids are md5-derived uuids, so no table
        // lookup is needed to make them and they are spread over the index as random ids are.
        await ExecAsync(data, $"""
            INSERT INTO cb_students SELECT md5('s'||n)::uuid, md5('h'||(n/{perClass}/30))::uuid, md5('c'||(n/{perClass}))::uuid, 1, 'p/'||(n/{perClass}/30)||'/'||(n/{perClass})||'/'
              FROM generate_series(0, {students - 1}) n;
            INSERT INTO cb_records SELECT md5('r'||c||'-'||d.n)::uuid, md5('c'||c)::uuid, d.d, 0, md5('u'||c||'-'||d.n)::uuid
              FROM generate_series(0, {students / perClass - 1}) c, cb_days d;
            """);
        // Candidates: students 0 … perDay-1 are absent today, each for a run of days back from today (the "clock" shape).
        var random = new Random(7);
        var runs = new int[perDay];
        for (var i = 0; i < perDay; i++)
        {
            runs[i] = random.Next(100) switch { < 70 => 1, < 90 => 1 + random.Next(5), < 97 => 5 + random.Next(20), _ => 25 + random.Next(30) };
        }
        await using (var import = await data.OpenConnectionAsync())
        using (var writer = import.BeginBinaryImport("COPY cb_marks (\"Id\", \"SubmissionId\", \"StudentId\", \"Kind\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var day = 0; day < schoolDays.Count; day++)
            {
                var written = 0;
                for (var i = 0; i < perDay; i++)
                {
                    if (runs[i] > day)
                    {
                        Mark(writer, i, day, perClass);
                        written++;
                    }
                }
                // The rest of the day's 3 % are children absent that day only (past days), never today's candidates.
                for (; written < perDay; written++)
                {
                    Mark(writer, perDay + random.Next(students - perDay), day, perClass);
                }
            }
            writer.Complete();
        }
        await ExecAsync(data, """
            CREATE UNIQUE INDEX ON cb_records ("ClassId", "Date", "Lesson");
            CREATE INDEX ON cb_records ("CurrentSubmissionId");
            CREATE INDEX ON cb_marks ("SubmissionId");
            CREATE INDEX ON cb_marks ("StudentId", "Kind");
            CREATE UNIQUE INDEX ON cb_students ("Id");
            CREATE INDEX ON cb_leave ("StudentId", "From");
            ANALYZE cb_students, cb_records, cb_marks, cb_leave;
            """);
        generate.Stop();
        var rows = await ScalarAsync(data, "SELECT (SELECT count(*) FROM cb_records) || ' records, ' || (SELECT count(*) FROM cb_marks) || ' marks'");

        var read = new Stopwatch();
        var evaluate = new Stopwatch();
        var total = Stopwatch.StartNew();
        var stages = new int[5];
        var settings = new ClockSettings();
        var from = today.AddDays(-AbsenceClockRules.LookBackDays);
        read.Start();
        var candidates = new List<Guid>();
        await using (var cmd = data.CreateCommand("""
            SELECT DISTINCT m."StudentId" FROM cb_marks m
            WHERE m."Kind" = 1 AND EXISTS (SELECT 1 FROM cb_records r WHERE r."CurrentSubmissionId" = m."SubmissionId" AND r."Date" = $1 AND r."Lesson" = 0)
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = today });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                candidates.Add(reader.GetGuid(0));
            }
        }
        candidates.Sort();
        read.Stop();
        foreach (var batch in candidates.Chunk(ClockRunner.BatchSize))
        {
            read.Start();
            var ids = batch.ToArray();
            var who = new List<(Guid Id, Guid ClassId)>();
            await using (var cmd = data.CreateCommand("""SELECT "Id", "SchoolId", "ClassId", "Status", "Path" FROM cb_students WHERE "Id" = ANY($1)"""))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = ids });
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    who.Add((reader.GetGuid(0), reader.GetGuid(2)));
                }
            }
            var absent = new Dictionary<Guid, HashSet<DateOnly>>();
            await using (var cmd = data.CreateCommand("""
                SELECT m."StudentId", r."Date" FROM cb_marks m JOIN cb_records r ON m."SubmissionId" = r."CurrentSubmissionId"
                WHERE m."StudentId" = ANY($1) AND m."Kind" = 1 AND r."Lesson" = 0 AND r."Date" >= $2 AND r."Date" <= $3
                """))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = ids });
                cmd.Parameters.Add(new NpgsqlParameter { Value = from });
                cmd.Parameters.Add(new NpgsqlParameter { Value = today });
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var id = reader.GetGuid(0);
                    if (!absent.TryGetValue(id, out var set))
                    {
                        absent[id] = set = [];
                    }
                    set.Add(reader.GetFieldValue<DateOnly>(1));
                }
            }
            var classIds = who.Select(w => w.ClassId).Distinct().ToArray();
            var taken = new Dictionary<Guid, HashSet<DateOnly>>();
            await using (var cmd = data.CreateCommand("""SELECT "ClassId", "Date" FROM cb_records WHERE "ClassId" = ANY($1) AND "Lesson" = 0 AND "Date" >= $2 AND "Date" <= $3"""))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = classIds });
                cmd.Parameters.Add(new NpgsqlParameter { Value = from });
                cmd.Parameters.Add(new NpgsqlParameter { Value = today });
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var id = reader.GetGuid(0);
                    if (!taken.TryGetValue(id, out var set))
                    {
                        taken[id] = set = [];
                    }
                    set.Add(reader.GetFieldValue<DateOnly>(1));
                }
            }
            await using (var cmd = data.CreateCommand("""SELECT "StudentId", "From", "To" FROM cb_leave WHERE "StudentId" = ANY($1) AND "State" = 2 AND "To" >= $2 AND "From" <= $3"""))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = ids });
                cmd.Parameters.Add(new NpgsqlParameter { Value = from });
                cmd.Parameters.Add(new NpgsqlParameter { Value = today });
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                }
            }
            read.Stop();
            evaluate.Start();
            foreach (var (id, classId) in who)
            {
                var days = taken.GetValueOrDefault(classId) ?? [];
                var state = AbsenceClockRules.Evaluate(calendar, today, absent.GetValueOrDefault(id) ?? [], days.Contains, [], settings);
                stages[(int)state.Stage]++;
            }
            evaluate.Stop();
        }
        total.Stop();
        Console.WriteLine(string.Join('\t', "students", students, "school_days", schoolDays.Count, "rows", rows, "generate_s", F(generate.Elapsed.TotalSeconds),
            "candidates", candidates.Count, "read_s", F(read.Elapsed.TotalSeconds), "evaluate_s", F(evaluate.Elapsed.TotalSeconds), "total_s", F(total.Elapsed.TotalSeconds),
            "peak_mb", (Process.GetCurrentProcess().PeakWorkingSet64 / 1048576).ToString(CultureInfo.InvariantCulture), "stages", string.Join(',', stages)));
        await ExecAsync(data, "DROP TABLE IF EXISTS cb_students, cb_records, cb_marks, cb_leave, cb_days");
        return 0;
    }

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

    private static void Mark(NpgsqlBinaryImporter writer, int student, int day, int perClass)
    {
        writer.StartRow();
        writer.Write(Guid.NewGuid(), NpgsqlTypes.NpgsqlDbType.Uuid);
        writer.Write(Md5Uuid($"u{student / perClass}-{day}"), NpgsqlTypes.NpgsqlDbType.Uuid);
        writer.Write(Md5Uuid($"s{student}"), NpgsqlTypes.NpgsqlDbType.Uuid);
        writer.Write(1, NpgsqlTypes.NpgsqlDbType.Integer);
    }

    // PostgreSQL's md5(text)::uuid: the hex digest read as a uuid in order.
    private static Guid Md5Uuid(string text)
    {
        var hash = System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        return new Guid(hash, bigEndian: true);
    }

    private static async Task ExecAsync(NpgsqlDataSource data, string sql)
    {
        await using var cmd = data.CreateCommand(sql);
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> ScalarAsync(NpgsqlDataSource data, string sql)
    {
        await using var cmd = data.CreateCommand(sql);
        cmd.CommandTimeout = 0;
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}

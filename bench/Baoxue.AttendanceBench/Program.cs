using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Baoxue.Features.Attendance;

// load <baseUrl> <user> <password> <seconds> <concurrency>: class submissions through the real endpoint.
// get <baseUrl> <path> <seconds> <concurrency>: the cheapest request the same server answers (/health: the pipeline and one
//   database round trip, no sign-in), the anchor beside a submission's cost.
// clock <students> <absentPercent>: the daily clock's evaluation of a province-sized set (the candidates and their history in memory).
// chain <connection> <seconds> <concurrency>: the audit chain's append protocol before and after decision 0030, alternately.
// clockdb <connection> <students> <absentPercent>: generate a province's term of rolls on PostgreSQL (ClockDb.cs).
// clockrun <connection> <yyyy-MM-dd>...: the app's own daily clock run (ClockRunner) for each day, one after the other in one process.
return args[0] switch
{
    "load" => await LoadAsync(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture)),
    "get" => await GetAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture)),
    "clock" => Clock(int.Parse(args[1], CultureInfo.InvariantCulture), double.Parse(args[2], CultureInfo.InvariantCulture)),
    "chain" => await ChainProtocol.RunAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)),
    "clockdb" => await ClockDb.GenerateAsync(args[1], long.Parse(args[2], CultureInfo.InvariantCulture), double.Parse(args[3], CultureInfo.InvariantCulture)),
    "clockrun" => await ClockDb.RunAsync(args[1], args.Skip(2).Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture))),
    _ => 2,
};

static async Task<int> LoadAsync(string baseUrl, string user, string password, int seconds, int concurrency)
{
    var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
    using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
    using (var token = await http.PostAsJsonAsync("/api/v1/auth/token", new { userName = user, password }))
    {
        token.EnsureSuccessStatusCode();
        var body = await token.Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", body.GetProperty("accessToken").GetString());
    }
    // The county's today, as the server reads it; made a school day at this school whatever the date.
    var report = await http.GetFromJsonAsync<JsonElement>("/api/v1/attendance/report");
    var today = report.GetProperty("date").GetString()!;
    var school = report.GetProperty("schools")[0].GetProperty("schoolId").GetGuid();
    using (var day = await http.PutAsJsonAsync("/api/v1/attendance/calendar", new { Date = today, IsSchoolDay = true, Name = "压力测试日", SchoolId = school }))
    {
        day.EnsureSuccessStatusCode();
    }
    var classes = new List<(Guid Id, Guid[] Roster)>();
    foreach (var c in report.GetProperty("classes").EnumerateArray())
    {
        var id = c.GetProperty("classId").GetGuid();
        var day = await http.GetFromJsonAsync<JsonElement>($"/api/v1/attendance/classes/{id}/days/{today}?lesson=1");
        var roster = day.GetProperty("roster").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToArray();
        if (roster.Length > 0)
        {
            classes.Add((id, roster));
        }
    }
    Console.Error.WriteLine($"{classes.Count} classes with students; {concurrency} workers for {seconds} s");
    var latencies = new ConcurrentBag<double>();
    var errors = 0;
    var statusCounts = new ConcurrentDictionary<int, int>();
    var cpu = AppCpu.Read();
    var until = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, concurrency).Select(async w =>
    {
        var random = new Random(w);
        var n = 0;
        while (until.Elapsed.TotalSeconds < seconds)
        {
            // Each worker keeps to its own lessons, as a teacher keeps to their class: a submission is a first roll or a correction.
            var (id, roster) = classes[(w + n * concurrency) % classes.Count];
            var lesson = 1 + (w + n) % 12;
            n++;
            var marks = Enumerable.Range(0, 2).Select(i => new { StudentId = roster[random.Next(roster.Length)], Kind = "Late", Reason = "路上耽误" }).DistinctBy(m => m.StudentId).ToArray();
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync($"/api/v1/attendance/classes/{id}/days/{today}", new { ClientKey = Guid.NewGuid().ToString("N"), Lesson = lesson, Marks = marks });
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            statusCounts.AddOrUpdate((int)response.StatusCode, 1, (_, v) => v + 1);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errors);
            }
        }
    }).ToList();
    await Task.WhenAll(workers);
    var elapsed = until.Elapsed.TotalSeconds;
    var cpuMs = AppCpu.Read() - cpu;
    var sorted = latencies.Order().ToArray();
    double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    Console.WriteLine(string.Join('\t', "submissions", sorted.Length, "seconds", elapsed.ToString("F1", CultureInfo.InvariantCulture),
        "per_s", (sorted.Length / elapsed).ToString("F0", CultureInfo.InvariantCulture), "p50_ms", P(0.50).ToString("F1", CultureInfo.InvariantCulture),
        "p99_ms", P(0.99).ToString("F1", CultureInfo.InvariantCulture), "errors", errors,
        "statuses", string.Join(',', statusCounts.OrderBy(s => s.Key).Select(s => $"{s.Key}:{s.Value}")),
        "app_cpu_ms_per_request", AppCpu.PerRequest(cpuMs, sorted.Length)));
    return 0;
}

static async Task<int> GetAsync(string baseUrl, string path, int seconds, int concurrency)
{
    var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
    using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
    for (var i = 0; i < 200; i++)
    {
        using var warm = await http.GetAsync(path);
        warm.EnsureSuccessStatusCode();
    }
    var latencies = new ConcurrentBag<double>();
    var errors = 0;
    var cpu = AppCpu.Read();
    var until = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (until.Elapsed.TotalSeconds < seconds)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(path);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errors);
            }
        }
    }));
    var elapsed = until.Elapsed.TotalSeconds;
    var cpuMs = AppCpu.Read() - cpu;
    var sorted = latencies.Order().ToArray();
    double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    Console.WriteLine(string.Join('\t', "path", path, "requests", sorted.Length, "per_s", (sorted.Length / elapsed).ToString("F0", CultureInfo.InvariantCulture),
        "p50_ms", P(0.50).ToString("F1", CultureInfo.InvariantCulture), "p99_ms", P(0.99).ToString("F1", CultureInfo.InvariantCulture), "errors", errors,
        "app_cpu_ms_per_request", AppCpu.PerRequest(cpuMs, sorted.Length)));
    return 0;
}

static int Clock(int students, double absentPercent)
{
    // A term of school days (the calendar of decision 0024), 3 % of students absent today; a tail of them absent for
    // longer runs, so every stage is reached. What the run does per candidate after reading: the pure evaluation.
    var calendar = new SchoolCalendar([new DayRange(new DateOnly(2026, 9, 1), new DateOnly(2027, 1, 22))],
        Enumerable.Range(0, 7).ToDictionary(i => new DateOnly(2026, 10, 1).AddDays(i), _ => false));
    var today = new DateOnly(2026, 12, 1);
    var schoolDays = new List<DateOnly>();
    for (var d = today; schoolDays.Count < 60; d = d.AddDays(-1))
    {
        if (calendar.IsSchoolDay(d))
        {
            schoolDays.Add(d);
        }
    }
    var candidates = (int)(students * absentPercent / 100);
    var random = new Random(7);
    var watch = Stopwatch.StartNew();
    var stages = new int[5];
    var settings = new ClockSettings();
    // Histories are built and evaluated in batches, as the run reads them (2,000 candidates a batch).
    for (var start = 0; start < candidates; start += ClockRunner.BatchSize)
    {
        var batch = Math.Min(ClockRunner.BatchSize, candidates - start);
        for (var i = 0; i < batch; i++)
        {
            var run = random.Next(100) switch { < 70 => 1, < 90 => 1 + random.Next(5), < 97 => 5 + random.Next(20), _ => 25 + random.Next(30) };
            var absent = schoolDays.Take(run).ToHashSet();
            var state = AbsenceClockRules.Evaluate(calendar, today, absent, _ => true, [], settings);
            stages[(int)state.Stage]++;
        }
    }
    watch.Stop();
    Console.WriteLine(string.Join('\t', "students", students, "candidates", candidates, "seconds", watch.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
        "peak_mb", (Process.GetCurrentProcess().PeakWorkingSet64 / 1048576).ToString(CultureInfo.InvariantCulture), "stages", string.Join(',', stages)));
    return 0;
}


using System.Diagnostics;
using System.Globalization;
using Baoxue.Data;
using Baoxue.Features.Ledger;
using Baoxue.Features.Rates;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// <connection> <students>: a province (2 cities × 3 counties × 15 townships × 20 schools) of students generated in SQL,
// 3 % of them on the ledger; then the app's full recompute, PostgreSQL's own GROUP BY over the same rows, and the
// dashboard reads of the province, a city and a county from prepared rows.
var connection = args[0];
var students = long.Parse(args[1], CultureInfo.InvariantCulture);
var services = new ServiceCollection();
services.AddSingleton(new DbContextOptionsBuilder<BaoxueDb>().UseNpgsql(connection).Options);
await using var provider = services.BuildServiceProvider();
var clock = new Baoxue.Infrastructure.Time.CountyClock(TimeProvider.System);
var system = new SystemDb(provider, clock);
await using (var db = system.Open("bench"))
{
    db.Database.SetCommandTimeout(TimeSpan.FromHours(2));
    await db.Database.MigrateAsync();
    var watch = Stopwatch.StartNew();
    await db.Database.ExecuteSqlRawAsync(ProvincePlaces.Divisions + """

        INSERT INTO "Schools" ("Id","Code","Name","Kind","TownshipId","IsActive","Path")
          SELECT gen_random_uuid(), lpad((d."Code"::bigint % 1000000)::text,6,'0')||lpad(s::text,4,'0'), d."Name"||'学校'||s, 3, d."Id", true, d."Path"||lpad((d."Code"::bigint % 1000000)::text,6,'0')||lpad(s::text,4,'0')||'/'
          FROM "Divisions" d, generate_series(1,20) s WHERE d."Level" = 4;
        """);
    // The count is a number this program parsed, not text from anywhere else.
#pragma warning disable EF1002
    // The secondary indexes are dropped for the bulk insert and built again afterwards (at 15M rows, inserting into
    // eight random-order indexes ran for over an hour on this machine); the definitions are the migrated ones.
    await db.Database.ExecuteSqlRawAsync("""
        CREATE TABLE bench_saved_indexes AS SELECT indexname, indexdef FROM pg_indexes
          WHERE schemaname = 'public' AND tablename = 'Students' AND indexname NOT LIKE 'PK\_%';
        DO $$ DECLARE r record; BEGIN FOR r IN SELECT indexname FROM bench_saved_indexes LOOP EXECUTE format('DROP INDEX %I', r.indexname); END LOOP; END $$;
        """);
    await db.Database.ExecuteSqlRawAsync($"""
        WITH s AS (SELECT "Id", "Path", row_number() OVER (ORDER BY "Path") - 1 AS i, count(*) OVER () AS n FROM "Schools")
        INSERT INTO "Students" ("Id","RegistryNumber","Name","NameKey","Gender","BirthDate","Ethnicity","SchoolId","Grade","Status","Path")
        SELECT gen_random_uuid(), 'L'||lpad(g::text,17,'0'), '学生', '', 1 + g % 2, DATE '2012-01-01' + (g % 3000)::int, '01', s."Id", 1 + g % 9,
               CASE WHEN g % 100 = 7 THEN 4 WHEN g % 200 = 3 THEN 2 ELSE 1 END, s."Path"||'C'||(1 + g % 9)||'/'
        FROM generate_series(0, {students - 1}) g JOIN s ON s.i = g % s.n;
        """);
    await db.Database.ExecuteSqlRawAsync("""
        SET maintenance_work_mem = '1GB';
        DO $$ DECLARE r record; BEGIN FOR r IN SELECT indexdef FROM bench_saved_indexes LOOP EXECUTE r.indexdef; END LOOP; END $$;
        DROP TABLE bench_saved_indexes;
        """);
#pragma warning restore EF1002
    await db.Database.ExecuteSqlRawAsync("""
        INSERT INTO "GroupTags" ("Id","StudentId","Kind","DisabilityType","StartedOn")
        SELECT gen_random_uuid(), "Id", CASE WHEN abs(hashtext("RegistryNumber")) % 10 = 0 THEN 3 ELSE 6 END,
               CASE WHEN abs(hashtext("RegistryNumber")) % 10 = 0 THEN (ARRAY['Visual','Hearing','Intellectual','Physical'])[1 + abs(hashtext("RegistryNumber")) % 4] END, DATE '2025-09-01'
        FROM "Students" WHERE abs(hashtext("RegistryNumber")) % 20 = 0;
        INSERT INTO "LedgerEntries" ("Id","Version","ChildKey","StudentId","Name","NameKey","BirthDate","Gender","SchoolId","Grade","List","State","Source","SourceKey","Reason","ReportedOn","ReportedAt","ReportedBy","IsNew","Path")
        SELECT gen_random_uuid(), 0, 'S:'||replace("Id"::text,'-',''), "Id", "Name", '', "BirthDate", "Gender", "SchoolId", "Grade",
               CASE WHEN "Status" = 4 THEN 3 ELSE 2 END, CASE WHEN "Status" = 4 THEN 4 ELSE 1 END, 1, 'bench:'||"Id", (ARRAY['厌学','外出务工','家庭困难','疾病'])[1 + abs(hashtext("RegistryNumber")) % 4],
               CURRENT_DATE - 20, now(), 'bench', true, "Path"
        FROM "Students" WHERE "Status" = 4 OR abs(hashtext("RegistryNumber")) % 50 = 1;
        ANALYZE;
        """);
    Console.WriteLine($"generated {students:N0} students in {watch.Elapsed.TotalSeconds:N0} s; ledger {await db.LedgerEntries.CountAsync():N0}");
}
var builder = new FigureBuilder(system, Options.Create(new LedgerOptions()), NullLogger<FigureBuilder>.Instance);
var recompute = Stopwatch.StartNew();
var set = await builder.BuildAsync(FigureSetKind.Current, "bench");
recompute.Stop();
Console.WriteLine($"full recompute (FigureBuilder): {recompute.Elapsed.TotalSeconds:N1} s, {set.Rows:N0} prepared rows");
await using (var db = system.Open("bench"))
{
    db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
    var anchor = Stopwatch.StartNew();
    await db.Database.ExecuteSqlRawAsync("""CREATE TEMP TABLE g AS SELECT "Path", "Grade", count(*) FROM "Students" WHERE "Status" = 1 GROUP BY "Path", "Grade" """);
    anchor.Stop();
    Console.WriteLine($"anchor: PostgreSQL GROUP BY Path, Grade over the registry: {anchor.Elapsed.TotalSeconds:N1} s");
}
foreach (var path in new[] { "35/", "35/3501/", "35/3501/350121/" })
{
    await using var db = system.Open("bench");
    var figures = await FigureQueries.SetAsync(db, null, set.Id);
    await FigureQueries.BoardAsync(db, path, figures!); // warm
    var times = new List<double>();
    for (var i = 0; i < 20; i++)
    {
        var w = Stopwatch.StartNew();
        var b = await FigureQueries.BoardAsync(db, path, figures!);
        times.Add(w.Elapsed.TotalMilliseconds);
        if (b is null)
        {
            throw new InvalidOperationException("no board at " + path);
        }
    }
    times.Sort();
    Console.WriteLine($"dashboard {path}: median {times[10]:N1} ms, max {times[^1]:N1} ms (20 reads, prepared rows)");
}
Console.WriteLine($"bench process memory: working set {Environment.WorkingSet / 1048576:N0} MiB, GC heap {GC.GetTotalMemory(false) / 1048576:N0} MiB");

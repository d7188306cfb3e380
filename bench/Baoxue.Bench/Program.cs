using System.Diagnostics;
using System.Globalization;
using System.Text;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Features.Registry.Import;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Security;
using Baoxue.Infrastructure.Spreadsheets;
using CsvHelper;
using ExcelDataReader;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Baoxue benchmarks: a Stopwatch harness, each case run once in its own process (bench/run.sh starts them),
// so that the peak working set the OS reports belongs to that case alone.
//
//   generate <provider> <connection> <rows> <out-dir>   realistic registry sheets (xlsx + csv) for the demo county's classes
//   import   <provider> <connection> <file>              end-to-end RegistryImport into an empty copy of the demo database
//   read     <file> [library]                             anchor: a library merely reading every cell of the file:
//                                                         xlsx: ExcelDataReader (default), MiniExcel, XmlReader (the app's XlsxSheetReader)
//                                                         csv:  CsvHelper (default), Sylvan
//
//   export   <provider> <connection>                      the student list's xlsx export (RegistryApi.Export, as the endpoint runs it) of every student
//
// Each measuring command prints one line: case<TAB>rows<TAB>seconds<TAB>peak-MB<TAB>detail.
Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
return args.FirstOrDefault() switch
{
    "generate" => await Bench.GenerateAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), args[4]),
    "import" => await Bench.ImportAsync(args[1], args[2], args[3]),
    "read" => Bench.Read(args[1], args.ElementAtOrDefault(2)),
    "export" => await Bench.ExportAsync(args[1], args[2]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: generate <provider> <connection> <rows> <dir> | import <provider> <connection> <file> | read <file>");
    return 2;
}

internal static class Bench
{
    private static readonly string[] Headers =
    [
        "姓名", "性别", "出生日期", "身份证件号", "全国学籍号", "民族", "学校标识码", "年级", "班号", "户口所在地", "户口性质", "现住址",
        "监护人姓名", "监护人关系", "监护人电话", "是否外出务工", "重点群体", "入学日期",
    ];

    // Counties of Fuzhou and Ningde: where the demo county's children are registered.
    private static readonly string[] Regions = ["350102", "350103", "350104", "350105", "350111", "350112", "350121", "350122", "350123", "350124", "350125", "350128", "350181", "350902", "350921", "350922", "350981", "350982"];

    private sealed class BenchUser : ICurrentUser
    {
        public Guid? Id => null;
        public string UserName => "bench";
        public Role? Role => null;
        public string? ScopePath => null;
        public string? IpAddress => "127.0.0.1";
    }

    private static BaoxueDb Open(string provider, string connection)
    {
        var options = new DbContextOptionsBuilder<BaoxueDb>();
        DatabaseSetup.Configure(options, provider, connection, AppContext.BaseDirectory);
        return new BaoxueDb(options.Options, new BenchUser(), TimeProvider.System);
    }

    public static async Task<int> GenerateAsync(string provider, string connection, int rows, string dir)
    {
        await using var db = Open(provider, connection);
        var classes = await db.Classes.AsNoTracking().Where(c => c.SchoolYear!.IsCurrent)
            .Select(c => new { c.School!.Code, c.Grade, c.Number, Year = c.SchoolYear!.StartYear }).OrderBy(c => c.Code).ThenBy(c => c.Grade).ThenBy(c => c.Number).ToListAsync();
        var names = new ChineseNames(20260901, SurnameRegion.Fujian);
        var random = new Random(20260901);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var groups = new[] { "留守儿童", "建档立卡", "低保", "随迁子女", "困境儿童", "学困生" };
        var relations = new[] { "父亲", "母亲", "母亲", "祖父母/外祖父母" };
        var ethnicities = new[] { "汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "畲族", "回族" };
        Directory.CreateDirectory(dir);
        var xlsxPath = Path.Combine(dir, $"students-{rows}.xlsx");
        var csvPath = Path.Combine(dir, $"students-{rows}.csv");
        var watch = Stopwatch.StartNew();
        await using (var xlsxFile = File.Create(xlsxPath))
        await using (var csvFile = new StreamWriter(csvPath, false, new UTF8Encoding(true)))
        using (var csv = CsvWriter.Create(csvFile, CsvWriterOptions.Default, leaveOpen: true))
        {
            foreach (var h in Headers)
            {
                csv.WriteField(h);
            }
            csv.EndRecord();
            IEnumerable<IReadOnlyList<string?>> Rows()
            {
                var row = new string?[Headers.Length];
                for (var i = 0; i < rows; i++)
                {
                    var c = classes[random.Next(classes.Count)];
                    var gender = names.RandomGender();
                    var birth = new DateOnly(c.Year - 6 - c.Grade + 1, 1, 1).AddDays(random.Next(-120, 245));
                    var minority = random.Next(200) == 0;
                    string id;
                    do
                    {
                        id = names.IdNumberFor(Regions[random.Next(Regions.Length)], birth, gender);
                    }
                    while (!ids.Add(id));
                    row[0] = minority ? names.MinorityName(gender) : names.FullName(gender);
                    row[1] = gender == Gender.Male ? "男" : "女";
                    row[2] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    row[3] = id;
                    row[4] = "G" + id;
                    row[5] = minority ? "维吾尔族" : ethnicities[random.Next(ethnicities.Length)];
                    row[6] = c.Code;
                    row[7] = ChineseFormat.Grade(c.Grade);
                    row[8] = c.Number.ToString(CultureInfo.InvariantCulture);
                    row[9] = id[..6];
                    row[10] = random.Next(3) == 0 ? "非农业户口" : "农业户口";
                    row[11] = "福建省福州市罗源县" + DemoPlaces.Street(random);
                    row[12] = names.AdultName(random.Next(2) == 0 ? Gender.Male : Gender.Female);
                    row[13] = relations[random.Next(relations.Length)];
                    row[14] = names.MobilePhone();
                    row[15] = random.Next(4) == 0 ? "是" : "否";
                    row[16] = random.Next(6) == 0 ? groups[random.Next(groups.Length)] + (random.Next(4) == 0 ? "," + groups[random.Next(groups.Length)] : "") : null;
                    row[17] = new DateOnly(c.Year - c.Grade + 1, 9, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    foreach (var cell in row)
                    {
                        csv.WriteField(cell ?? "");
                    }
                    csv.EndRecord();
                    yield return row;
                }
            }
            // As the registry system's export looks: a plain header, no title line.
            await XlsxWriter.WriteAsync(xlsxFile, new XlsxSheet("学生", null, [.. Headers.Select(h => new ExportColumn(h))]), XlsxWriter.ToAsync(Rows()));
        }
        Console.Error.WriteLine($"generated {rows} rows over {classes.Count} classes in {watch.Elapsed.TotalSeconds:F1} s: {new FileInfo(xlsxPath).Length / 1e6:F1} MB xlsx, {new FileInfo(csvPath).Length / 1e6:F1} MB csv");
        return 0;
    }

    public static async Task<int> ImportAsync(string provider, string connection, string file)
    {
        await using var db = Open(provider, connection);
        var before = await db.Students.CountAsync();
        var personal = new PersonalData(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var table = TextTable.Load();
        var watch = Stopwatch.StartNew();
        Baoxue.Infrastructure.Imports.ImportReport report;
        var phases = new RegistryImport.ImportPhases();
        await using (var stream = File.OpenRead(file))
        {
            report = await RegistryImport.ImportAsync(db, personal, table, long.MaxValue, stream, Path.GetFileName(file), default, phases);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var after = await db.Students.CountAsync();
        if (!report.Succeeded || after - before != report.RowsRead)
        {
            Console.Error.WriteLine($"import refused or incomplete: {report.Problems.Count} problems, {after - before} stored of {report.RowsRead}");
            foreach (var p in report.Problems.Take(10))
            {
                Console.Error.WriteLine($"  row {p.Row} {p.Column} {p.Value}: {p.ReasonKey}");
            }
            return 1;
        }
        Print($"import {Path.GetExtension(file)[1..]} {provider}", report.RowsRead, seconds, $"created {report.Created}; {phases}");
        return 0;
    }

    /// <summary>The whole registry through the app's own export result, written to a file as it would be to a response.</summary>
    public static async Task<int> ExportAsync(string provider, string connection)
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        var options = new DbContextOptionsBuilder<BaoxueDb>();
        DatabaseSetup.Configure(options, provider, connection, AppContext.BaseDirectory);
        await using var db = new BaoxueDb(options.Options, new BenchUser(), TimeProvider.System);
        services.AddSingleton(db);
        services.AddSingleton(TextTable.Load());
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddSingleton<Microsoft.Extensions.Localization.IStringLocalizerFactory, TextTableLocalizerFactory>();
        services.AddSingleton(typeof(Microsoft.Extensions.Localization.IStringLocalizer<>), typeof(Microsoft.Extensions.Localization.StringLocalizer<>));
        await using var provided = services.BuildServiceProvider();
        var personal = new PersonalData(new byte[32], new byte[32]);
        var path = Path.Combine(Path.GetTempPath(), $"baoxue-bench-export-{Environment.ProcessId}.xlsx");
        var watch = Stopwatch.StartNew();
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = provided };
        long bytes;
        await using (var file = File.Create(path))
        {
            http.Response.Body = file;
            var text = provided.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Strings>>();
            await Baoxue.Features.Registry.RegistryApi.Export(db, personal, new Baoxue.Features.Registry.StudentQueries.Filter(), text).ExecuteAsync(http);
            bytes = file.Length;
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var detail = await db.AuditEntries.OrderByDescending(a => a.Sequence).Select(a => a.After).FirstAsync();
        // BAOXUE_BENCH_KEEP=<file> keeps the export, to open it in LibreOffice or Excel.
        if (Environment.GetEnvironmentVariable("BAOXUE_BENCH_KEEP") is { Length: > 0 } keep)
        {
            File.Move(path, keep, overwrite: true);
        }
        else
        {
            File.Delete(path);
        }
        Print($"export xlsx {provider}", System.Text.Json.JsonDocument.Parse(detail!).RootElement.GetProperty("rows").GetInt32(), seconds, $"{bytes / 1e6:F1} MB");
        return 0;
    }

    /// <summary>The anchor: a library alone reading every cell of every row, doing nothing with it.</summary>
    public static int Read(string file, string? library)
    {
        var xlsx = file.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase);
        library ??= xlsx ? "ExcelDataReader" : "CsvHelper";
        var watch = Stopwatch.StartNew();
        long rows = 0, chars = 0;
        using var stream = File.OpenRead(file);
        switch (library)
        {
            case "ExcelDataReader":
            {
                using var reader = ExcelReaderFactory.CreateReader(stream);
                while (reader.Read())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        chars += reader.GetValue(i) is string s ? s.Length : 0;
                    }
                    rows++;
                }
                break;
            }
            case "MiniExcel":
                // The streaming reader: rows as dictionaries, one at a time.
                foreach (IDictionary<string, object?> row in MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: false, excelType: MiniExcelLibs.ExcelType.XLSX))
                {
                    foreach (var value in row.Values)
                    {
                        chars += value is string s ? s.Length : 0;
                    }
                    rows++;
                }
                break;
            case "XmlReader":
            {
                // The app's own forward-only reader (decision 0008), through the same entry point the import uses.
                using var reader = SpreadsheetReader.Open(stream, file);
                rows = 1;
                while (reader.TryReadRow(out var row))
                {
                    for (var i = 0; i < row.Count; i++)
                    {
                        chars += row[i].Text.Length;
                    }
                    rows++;
                }
                break;
            }
            case "Sylvan":
            {
                using var text = new StreamReader(stream, Encoding.UTF8);
                using var csv = Sylvan.Data.Csv.CsvDataReader.Create(text, new Sylvan.Data.Csv.CsvDataReaderOptions { HasHeaders = false });
                while (csv.Read())
                {
                    for (var i = 0; i < csv.FieldCount; i++)
                    {
                        chars += csv.GetString(i).Length;
                    }
                    rows++;
                }
                break;
            }
            default:
            {
                using var text = new StreamReader(stream, Encoding.UTF8);
                using var csv = CsvReader.Create(text, CsvReaderOptions.Default with { HasHeader = false });
                while (csv.Read())
                {
                    for (var i = 0; i < csv.FieldCount; i++)
                    {
                        chars += csv.GetString(i).Length;
                    }
                    rows++;
                }
                break;
            }
        }
        Print($"read {Path.GetExtension(file)[1..]} ({library})", rows - 1, watch.Elapsed.TotalSeconds, $"{chars} chars");
        return 0;
    }

    private static void Print(string name, long rows, double seconds, string detail)
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Join('\t', name, rows.ToString(CultureInfo.InvariantCulture), seconds.ToString("F2", CultureInfo.InvariantCulture),
            (self.PeakWorkingSet64 / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture), detail));
    }
}

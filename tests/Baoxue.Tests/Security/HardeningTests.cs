using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Infrastructure.Auditing;
using Baoxue.Infrastructure.Security;
using Baoxue.Tests.Features.Registry.StatusChanges;
using Baoxue.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Baoxue.Tests.Features.Accounts.AccountKit;

namespace Baoxue.Tests.Security;

/// <summary>
/// Issue 6's attacks, replayed against the real app on both databases: cross-site calls riding on the sign-in
/// cookie, a decompression bomb, uploads left in the system temp folder, missing headers, proxies, the shared
/// key ring and the removal of the newest audit lines.
/// </summary>
public abstract class HardeningTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : StatusChangeApp
{
    private const string Registrar = "school.admin";
    private const string Evil = "https://evil.example";

    private async Task<Guid> OwnStudentAsync()
    {
        var cls = await app.ClassAsync(app.OwnSchoolId, 4);
        return (await app.EnrolAsync(Registrar, cls.Id, 4)).Id;
    }

    private static HttpRequestMessage CrossSite(HttpMethod method, string url, string site = "cross-site")
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Origin", Evil);
        request.Headers.Add("Sec-Fetch-Site", site);
        return request;
    }

    private async Task<int> AuditCountAsync(AuditAction action)
    {
        await using var db = app.Db();
        return await db.AuditEntries.CountAsync(a => a.Action == action && a.UserName == Registrar);
    }

    // ---------- 4: cross-site requests with the sign-in cookie ----------

    [Fact]
    public async Task A_reveal_started_by_another_site_is_refused_even_with_the_sign_in_cookie()
    {
        var id = await OwnStudentAsync();
        using var browser = await SignedInBrowserAsync(app, Registrar, BaoxueApp.Password);
        var reveals = await AuditCountAsync(AuditAction.Reveal);

        using var forged = await browser.SendAsync(CrossSite(HttpMethod.Post, $"/api/v1/students/{id}/reveal"));
        var body = await forged.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.Contains("其他网站", JsonDocument.Parse(body).RootElement.GetProperty("title").GetString());
        Assert.Equal(reveals, await AuditCountAsync(AuditAction.Reveal));

        // An old browser without Sec-Fetch-Site still sends Origin on a cross-origin write.
        var originOnly = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/students/{id}/reveal");
        originOnly.Headers.Add("Origin", Evil);
        using var old = await browser.SendAsync(originOnly);
        Assert.Equal(HttpStatusCode.Forbidden, old.StatusCode);

        // The same call from the application's own page goes through: the cookie itself still works.
        using var own = await browser.SendAsync(CrossSite(HttpMethod.Post, $"/api/v1/students/{id}/reveal", "same-origin"));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(reveals + 1, await AuditCountAsync(AuditAction.Reveal));
    }

    [Fact]
    public async Task An_import_posted_from_another_site_is_refused_and_imports_nothing()
    {
        using var browser = await SignedInBrowserAsync(app, Registrar, BaoxueApp.Password);
        var imports = await AuditCountAsync(AuditAction.Import);
        var request = CrossSite(HttpMethod.Post, "/api/v1/students/import");
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("姓名,性别\n张三,男\n")), "file", "students.csv");
        request.Content = form;

        using var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(imports, await AuditCountAsync(AuditAction.Import));
    }

    [Fact]
    public async Task An_export_opened_by_another_site_is_refused_and_writes_no_audit_line()
    {
        using var browser = await SignedInBrowserAsync(app, Registrar, BaoxueApp.Password);
        var exports = await AuditCountAsync(AuditAction.Export);

        using var forged = await browser.SendAsync(CrossSite(HttpMethod.Get, "/api/v1/students/export"));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(exports, await AuditCountAsync(AuditAction.Export));

        // The export button on the app's own page (and a typed address) still download.
        using var own = await browser.SendAsync(CrossSite(HttpMethod.Get, "/api/v1/students/export", "same-origin"));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("no-store", own.Headers.CacheControl?.ToString());
        Assert.Equal(exports + 1, await AuditCountAsync(AuditAction.Export));
    }

    [Fact]
    public async Task A_bearer_token_call_is_not_a_cross_site_request_whatever_its_origin()
    {
        var id = await OwnStudentAsync();
        using var client = await app.ClientAsync(Registrar);

        using var response = await client.SendAsync(CrossSite(HttpMethod.Post, $"/api/v1/students/{id}/reveal"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    // ---------- 10: headers and caches ----------

    [Fact]
    public async Task Pages_and_answers_carry_the_protective_headers()
    {
        using var browser = await SignedInBrowserAsync(app, Registrar, BaoxueApp.Password);
        foreach (var url in new[] { "/login", "/", "/students", "/api/v1/schools" })
        {
            using var response = await browser.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("script-src 'self'", csp);
            Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        }
    }

    [Fact]
    public async Task Over_HTTPS_the_answer_asks_for_HTTPS_from_now_on_and_the_cookie_is_secure()
    {
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://baoxue.example"),
            AllowAutoRedirect = false,
            HandleCookies = true,
        });

        using var login = await SubmitLoginAsync(browser, Registrar, BaoxueApp.Password);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains("max-age=31536000", login.Headers.GetValues("Strict-Transport-Security").Single());
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SecurityHardening.SignInCookie + "=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_audit_shows_the_clients_address()
    {
        using var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.45");
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = "leader", password = "Wrong@2026" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        await using var db = app.Db();
        var line = await db.AuditEntries.AsNoTracking().Where(a => a.UserName == "leader" && a.Action == AuditAction.LoginFailed).OrderByDescending(a => a.Sequence).FirstAsync();
        Assert.Equal("203.0.113.45", line.IpAddress);
    }

    // ---------- 5: decompression bomb ----------

    /// <summary>A real xlsx package whose shared-strings part unpacks to one string of <paramref name="megabytes"/> MB.</summary>
    public static byte[] BombWorkbook(int megabytes)
    {
        using var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Part(string name, string xml)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Optimal).Open(), new UTF8Encoding(false));
                writer.Write(xml);
            }
            Part("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>""");
            Part("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Part("xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="学生" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Part("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>""");
            Part("xl/worksheets/sheet1.xml", """<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>""");
            using var strings = new StreamWriter(zip.CreateEntry("xl/sharedStrings.xml", CompressionLevel.Optimal).Open(), new UTF8Encoding(false));
            strings.Write("""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="1"><si><t>""");
            var chunk = new string('姓', 1024 * 1024 / 3);
            for (var i = 0; i < megabytes * 3; i++)
            {
                strings.Write(chunk);
            }
            strings.Write("</t></si></sst>");
        }
        return file.ToArray();
    }

    [Fact]
    public async Task A_small_workbook_unpacking_to_a_huge_string_is_refused_with_422_and_a_short_Chinese_report()
    {
        var bomb = BombWorkbook(64);
        Assert.True(bomb.Length < 1024 * 1024, $"the bomb is {bomb.Length} bytes");
        using var client = await app.ClientAsync(Registrar);
        var imports = await AuditCountAsync(AuditAction.Import);
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bomb), "file", "学生.xlsx");

        using var response = await client.PostAsync("/api/v1/students/import", form);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True(body.Length < 4096, $"the report is {body.Length} characters long");
        Assert.Contains("32,767", body);
        Assert.DoesNotContain("姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓姓", body);
        Assert.Equal(imports, await AuditCountAsync(AuditAction.Import));
    }

    [Fact]
    public async Task A_refused_value_is_echoed_in_the_report_cut_short()
    {
        var huge = new string('长', 20_000);
        var row = Baoxue.Tests.Features.Registry.Import.RegistryImportKit.Row(huge, Baoxue.Tests.Features.Registry.Import.RegistryImportKit.Id(new DateOnly(2017, 3, 1), 901, Gender.Female), "2017-03-01", "女");
        var csv = string.Join(",", Baoxue.Tests.Features.Registry.Import.RegistryImportKit.Headers) + "\n" + string.Join(",", row.Select(v => v ?? "")) + "\n";
        using var client = await app.ClientAsync(Registrar);
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray()), "file", "学生.csv");

        using var response = await client.PostAsync("/api/v1/students/import", form);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var values = JsonDocument.Parse(body).RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => p.GetProperty("value").GetString() ?? "").Where(v => v.StartsWith('长')).ToList();
        var echoed = Assert.Single(values);
        Assert.Equal(101, echoed.Length);
        Assert.EndsWith("…", echoed);
    }

    // ---------- 11: uploads buffered in the private folder ----------

    /// <summary>Sends the first part of a body, then waits to be let go: the server is mid-upload meanwhile.</summary>
    private sealed class StalledContent(byte[] head, byte[] tail, TaskCompletionSource sent, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(head);
            await stream.FlushAsync();
            sent.TrySetResult();
            await release;
            await stream.WriteAsync(tail);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = head.Length + tail.Length;
            return true;
        }
    }

    [Fact]
    public async Task An_upload_in_progress_is_buffered_in_the_private_folder_not_the_system_temp_folder()
    {
        var systemTemp = Path.GetTempPath();
        var before = Directory.GetFiles(systemTemp, "ASPNETCORE_*.tmp").ToHashSet();
        Assert.NotEqual(Path.GetFullPath(systemTemp).TrimEnd('/'), Path.GetFullPath(PrivateTemp.Folder).TrimEnd('/'));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(PrivateTemp.Folder));
        }

        const string boundary = "baoxue-test-boundary";
        var head = Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"students.csv\"\r\nContent-Type: text/csv\r\n\r\n姓名,身份证件号\r\n")
            .Concat(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("张三,350123201801010011\r\n", 20_000)))).ToArray();
        var tail = Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n");
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var content = new StalledContent(head, tail, sent, release.Task);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        using var client = await app.ClientAsync(Registrar);

        var upload = client.PostAsync("/api/v1/students/import", content);
        try
        {
            await sent.Task.WaitAsync(TimeSpan.FromMinutes(1));
            // Wait (boundedly) until the server has buffered what it was sent.
            string[] buffered = [];
            for (var i = 0; i < 600 && buffered.Length == 0; i++)
            {
                buffered = Directory.GetFiles(PrivateTemp.Folder, "ASPNETCORE_*.tmp");
                await Task.Delay(100);
            }
            Assert.NotEmpty(buffered);
            Assert.DoesNotContain(Directory.GetFiles(systemTemp, "ASPNETCORE_*.tmp"), f => !before.Contains(f));
        }
        finally
        {
            release.TrySetResult();
        }
        using var response = await upload;
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}");
    }

    [Fact]
    public void The_private_folder_is_emptied_at_start()
    {
        var folder = Directory.CreateTempSubdirectory("baoxue-private-").FullName;
        var leftover = Path.Combine(folder, "ASPNETCORE_left-by-a-killed-process.tmp");
        File.WriteAllText(leftover, "350123201801010011");
        var current = PrivateTemp.Folder;
        try
        {
            PrivateTemp.Prepare(folder);
            Assert.False(File.Exists(leftover));
        }
        finally
        {
            PrivateTemp.Prepare(current);
            Directory.Delete(folder, recursive: true);
        }
    }

    // ---------- 12: key ring in the database; the audit head anchored ----------

    [Fact]
    public async Task The_key_ring_is_in_the_database_and_encrypted()
    {
        using var browser = await SignedInBrowserAsync(app, Registrar, BaoxueApp.Password);
        await using var db = app.Db();
        var keys = await db.DataProtectionKeys.AsNoTracking().ToListAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, k =>
        {
            Assert.Contains("encryptedKey", k.Xml);
            Assert.DoesNotContain("<masterKey", k.Xml);
        });
    }

    [Fact]
    public async Task Removing_the_newest_audit_lines_behind_the_applications_back_is_detected()
    {
        var checkpoint = app.Services.GetRequiredService<AuditCheckpoint>();
        // Signed in before the removal: signing in writes an audit line of its own.
        using var inspector = await app.ClientAsync("inspector");
        await OwnStudentAsync();
        long head;
        await using (var db = app.Db())
        {
            var mark = await checkpoint.WriteAsync(db);
            Assert.NotNull(mark);
            head = mark.Sequence;
            Assert.Null((await AuditChain.VerifyAsync(db, checkpoint)).FirstBrokenSequence);
        }

        // Someone with the database's superuser removes the three newest lines, triggers bypassed.
        await using (var db = app.Db())
        {
            if (app.Provider == "Postgres")
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                await db.Database.ExecuteSqlRawAsync("SET LOCAL session_replication_role = replica");
                await db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditEntries" WHERE "Sequence" > {0}""", head - 3);
                await transaction.CommitAsync();
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER audit_entries_no_delete");
                await db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditEntries" WHERE "Sequence" > {0}""", head - 3);
                await db.Database.ExecuteSqlRawAsync("""CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON "AuditEntries" BEGIN SELECT RAISE(ABORT, 'AuditEntries is append-only'); END;""");
            }
        }

        await using (var db = app.Db())
        {
            // The chain that is left holds together; only the anchor shows what is missing.
            Assert.Null((await AuditChain.VerifyAsync(db)).FirstBrokenSequence);
            var verdict = await AuditChain.VerifyAsync(db, checkpoint);
            Assert.Equal(head - 2, verdict.FirstBrokenSequence);
            Assert.NotNull(verdict.HeadProblem);
            // And the periodic writer does not sign the shortened chain.
            Assert.Null(await checkpoint.WriteAsync(db));
        }

        using var verify = await inspector.PostAsync("/api/v1/audit/verify", null);
        var body = JsonDocument.Parse(await verify.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(head - 2, body.GetProperty("firstBrokenSequence").GetInt64());
    }
}

public sealed class HardeningTests_Sqlite(StatusChangeSqliteApp app) : HardeningTests<StatusChangeSqliteApp>(app);

public sealed class HardeningTests_Postgres(StatusChangePostgresApp fixture) : HardeningTests<StatusChangePostgresApp>(fixture)
{
    private readonly StatusChangePostgresApp app = fixture;

    /// <summary>A second app server on the same PostgreSQL database, as behind a load balancer.</summary>
    private sealed class SecondServer(BaoxueApp first) : StatusChangeApp(TestDatabase.SharedWith(first, first.ConnectionString))
    {
        public override Task InitializeAsync()
        {
            Start();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Two_app_servers_on_one_database_accept_each_others_tokens_and_cookies()
    {
        var second = new SecondServer(app);
        try
        {
            await second.InitializeAsync();

            // A token from the first server opens the second.
            using var bearer = second.AnonymousClient();
            bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.TokenAsync("inspector"));
            using var schools = await bearer.GetAsync("/api/v1/schools");
            Assert.Equal(HttpStatusCode.OK, schools.StatusCode);

            // A page sign-in on the first server is a sign-in on the second: one cookie jar, two servers.
            var jar = new CookieContainer();
            var address = new Uri("http://localhost");
            using var onFirst = app.CreateDefaultClient(address, new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(jar));
            using var login = await SubmitLoginAsync(onFirst, "school.admin", BaoxueApp.Password);
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            using var onSecond = second.CreateDefaultClient(address, new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(jar));
            using var page = await onSecond.GetAsync("/students");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }
}

using Baoxue.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Baoxue.Tests.Browser;

/// <summary>
/// The real application served by Kestrel on a real loopback socket (127.0.0.1, a port the system picks),
/// seeded with the demo county, plus one headless Chromium (Debian's, never a downloaded one) to drive it.
/// One of each per test class fixture.
/// </summary>
/// <remarks>
/// WebApplicationFactory's <c>UseKestrel(0)</c> binds <c>http://127.0.0.1:0</c>; after <c>StartServer()</c> the
/// server's <see cref="IServerAddressesFeature"/> holds the address Kestrel actually bound, which becomes the
/// browser's base URL. The TestServer-only <c>Server</c> property is never touched (it throws under Kestrel).
/// </remarks>
public abstract class BrowserApp : BaoxueApp
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    protected BrowserApp(TestDatabase database) : base(database) => UseKestrel(0);

    /// <summary>Where Kestrel listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; private set; } = default!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    protected override void Start()
    {
        StartServer(); // migrations and demo seeding run here
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        Address = new Uri(addresses.Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
        if (Address.Port == 0)
        {
            throw new InvalidOperationException("Kestrel did not report the port it bound: " + string.Join(", ", addresses));
        }
    }

    public override async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(20_000); // a slow shared machine: wait longer, never assert speed
        await base.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("BAOXUE_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-gpu", "--no-first-run",
            ],
        });
    }

    /// <summary>
    /// A fresh browser context (its own cookies) and page on the app. The browser asks for <paramref name="locale"/>
    /// in Accept-Language; the app ignores that and starts in Chinese unless the user switches.
    /// </summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null, bool phone = false, string locale = "zh-CN")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            Locale = locale,
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 },
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = phone ? 2 : 1,
        });
        return await context.NewPageAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}

public sealed class SqliteBrowserApp() : BrowserApp(TestDatabase.Sqlite());

public sealed class PostgresBrowserApp() : BrowserApp(TestDatabase.Postgres());

using Microsoft.Playwright;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright (.NET). Playwright cannot download its own browsers here, so it is pointed
/// at /usr/bin/chromium and never asked to install one. Root needs --no-sandbox; the networking flags keep Chromium
/// from calling home (there is no network but loopback, and it would retry forever).
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    /// <summary>Why browser tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => File.Exists(ExecutablePath)
        ? null
        : $"Chromium is not installed at {ExecutablePath} (apt-get install chromium).";

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh context (no cookies, no cache), optionally with the Basic credentials the browser would prompt for.</summary>
    public async Task<IPage> NewPageAsync(string? username = null, string? password = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            HttpCredentials = password is null ? null : new HttpCredentials { Username = username ?? "browser", Password = password },
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}

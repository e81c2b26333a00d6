using FeedFunctions.Auth;
using FeedFunctions.Events;
using FeedFunctions.Feed;
using FeedFunctions.Packages;
using FeedFunctions.Publishing;
using FeedFunctions.Storage;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Hosting;

/// <summary>Builds the feed's web application; Program and the tests share this so they run the same app.</summary>
public static class FeedApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        configure?.Invoke(builder);

        if (ListenAddress.Resolve(builder.Configuration) is { } url)
        {
            builder.WebHost.UseUrls(url);
        }

        AddServices(builder);
        var app = builder.Build();
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseMiddleware<UnhandledExceptionMiddleware>();
        app.UseMiddleware<StorageReadinessMiddleware>();
        MapRoutes(app);
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<FeedOptions>(builder.Configuration.GetSection(FeedOptions.SectionName));
        services.AddFeedStorage(builder.Configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<PackageUploadReader>();
        services.AddSingleton<PackageStore>();
        services.AddSingleton<PackageEventOutbox>();
        services.AddSingleton<WriteAccess>();
        services.AddSingleton<PushHandler>();
        services.AddSingleton<ListingHandler>();
        services.AddSingleton<DownloadHandler>();
        services.AddPackageEvents(builder.Configuration);
        services.AddFeedReadSide();

        // The body limit follows the package limit (plus multipart framing); Kestrel's default is ~28.6 MB.
        var maxPackage = builder.Configuration.GetValue(FeedOptions.SectionName + ":MaxPackageSizeBytes", FeedOptions.DefaultMaxPackageSizeBytes);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = maxPackage + PackageUploadReader.MultipartOverheadAllowance;
            kestrel.AddServerHeader = false;
        });
    }

    private static void MapRoutes(WebApplication app)
    {
        // The Functions host polls GET / until the handler answers; any status counts, 200 is clearest.
        app.MapGet("/", () => TypedResults.Text("NuGet feed is running.", "text/plain"));
        app.MapPublishing();
        app.MapFunctionEndpoints();
        app.MapFeedReadSide();
        app.MapGet("/api/health", () => TypedResults.Ok(new HealthResponse("healthy", typeof(FeedApp).Assembly.GetName().Version?.ToString() ?? "0")));
    }
}

using FeedFunctions.Hosting;
using FeedFunctions.Telemetry;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker.Builder;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: HTTP functions take HttpRequest and read the body as it streams in from the host.
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<FeedHttpMiddleware>();
builder.Services.AddFeed(builder.Configuration);
builder.Services.AddFeedTelemetry(builder.Configuration);

// The metadata the host indexes, with timer schedules from optional settings (ConfiguredFunctionMetadataProvider).
// On the final service collection: the Worker SDK registers its source-generated metadata provider while building.
builder.ConfigureContainer(new DefaultServiceProviderFactory(), services => services.AddConfiguredFunctionMetadata());

// A proxied request whose invocation never pairs with it is answered 503 + Retry-After by the worker, not 500 later.
builder.Services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, InvocationHandoffGuard>();

// The Azure SDK logs every storage request at Information, ASP.NET Core every result it writes: through the host
// that would be several lines per request, each one billed by the log sink.
builder.Logging.AddFilter("Azure", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

// The host bounds request bodies (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT) and the push reader bounds the package while
// it streams; the worker's own 30 MB default would cut large pushes off with an error the host turns into a 500.
builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = null);

builder.Build().Run();

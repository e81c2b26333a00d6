using FeedFunctions.Storage;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Search;

/// <summary>
/// At start-up, in the background: when the index is not complete yet (a feed from before the index, or a new one),
/// build it (see <see cref="SearchIndexBuilder"/>) while the instance serves requests; search scans until then.
/// When another instance holds the build's lease, check again once it would have run out.
/// </summary>
internal sealed class SearchIndexBuildService(
    FeedStorageReadiness readiness, SearchIndexBuilder builder, IOptions<SearchIndexOptions> options, ILogger<SearchIndexBuildService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BuildOnStart)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = SearchIndexBuilder.Lease;
            try
            {
                await readiness.EnsureAsync().WaitAsync(stoppingToken).ConfigureAwait(false);
                if (await builder.IsCompleteAsync(stoppingToken).ConfigureAwait(false)
                    || (await builder.RunAsync(restart: false, progress: null, stoppingToken).ConfigureAwait(false)).Completed)
                {
                    return;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Building the search index failed; trying again in {Delay}", RetryAfterFailure);
                wait = RetryAfterFailure;
            }

            try
            {
                await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

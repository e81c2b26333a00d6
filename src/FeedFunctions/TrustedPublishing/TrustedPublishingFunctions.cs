using FeedFunctions.Auth;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace FeedFunctions.TrustedPublishing;

/// <summary>The token exchange route, and the hourly clean-up of what trusted publishing leaves behind.</summary>
public sealed class TrustedPublishingFunctions(
    TokenExchangeHandler exchange, TokenUseLedger ledger, ApiKeyStore keys, IOptions<TrustedPublishingOptions> options, TimeProvider time,
    ILogger<TrustedPublishingFunctions> logger)
{
    public const string TokenRoute = "api/v2/token";

    /// <summary>Exchanged keys stay listed this long after they expire (who pushed with which key), then go.</summary>
    public static readonly TimeSpan ExpiredKeyRetention = TimeSpan.FromDays(7);

    [Function(nameof(ExchangeToken))]
    public Task<IResult> ExchangeToken([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = TokenRoute)] HttpRequest request) =>
        exchange.HandleAsync(request.HttpContext);

    /// <summary>
    /// Hourly, at a fixed schedule (no setting needed): used-token rows past their token's expiry, old exchanged keys.
    /// No schedule monitor: pruning is idempotent, and a missed hour is caught up by the next.
    /// </summary>
    [Function(nameof(PruneTrustedPublishing))]
    public async Task PruneTrustedPublishing([TimerTrigger("0 17 * * * *", UseMonitor = false)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var uses = await ledger.PruneAsync(now - options.Value.EffectiveClockSkew - TimeSpan.FromHours(1), cancellationToken);
        var expiredKeys = await keys.PruneExchangedKeysAsync(now - ExpiredKeyRetention, TokenUseLedger.MaxPrunedPerRun, cancellationToken);
        if (uses + expiredKeys > 0)
        {
            logger.LogInformation("Trusted publishing clean-up: {Uses} used-token row(s), {Keys} expired exchanged key(s)", uses, expiredKeys);
        }
    }
}

namespace FeedFunctions.TrustedPublishing;

/// <summary><c>Feed:TrustedPublishing:*</c> (environment <c>Feed__TrustedPublishing__*</c>).</summary>
public sealed class TrustedPublishingOptions
{
    public const string SectionName = "Feed:TrustedPublishing";

    /// <summary>
    /// On by default: without a stored trust policy no token is accepted anyway. Off: a token presented as an API key
    /// is treated as an unknown key and <c>/api/v2/token</c> answers 404.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Lets policies name an <c>http://</c> issuer on a loopback address (127.0.0.1, ::1, localhost). For tests only:
    /// discovery and keys over plain http can be tampered with. Non-loopback http is refused whatever this says.
    /// </summary>
    public bool AllowHttpLoopbackIssuers { get; set; }

    /// <summary>Tolerance for <c>exp</c> and <c>nbf</c> against this machine's clock (0 to 5 minutes).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Lifetime of a key from <c>POST /api/v2/token</c> when the request names none.</summary>
    public TimeSpan DefaultKeyLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest lifetime a request may ask for (at most one hour whatever is configured).</summary>
    public TimeSpan MaxKeyLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many issuers' discovery documents and key sets are kept in memory at once.</summary>
    public int MaxCachedIssuers { get; set; } = 32;

    /// <summary>How long an issuer's discovery document and keys are used before they are fetched again.</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The shortest time between two fetches forced by a token whose <c>kid</c> is not in the cached keys (a
    /// rotation): bounds how often forged kids can make the feed call the issuer.
    /// </summary>
    public TimeSpan UnknownKeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The hard ceiling of <see cref="MaxKeyLifetime"/>.</summary>
    public static readonly TimeSpan KeyLifetimeCeiling = TimeSpan.FromHours(1);

    /// <summary>Larger tokens are refused before any parsing (a GitHub Actions token is about 1.5 KB).</summary>
    public const int MaxTokenBytes = 8 * 1024;

    /// <summary>A skew of hours would make expiry meaningless: bounded whatever is configured.</summary>
    public TimeSpan EffectiveClockSkew => ClockSkew < TimeSpan.Zero ? TimeSpan.Zero : ClockSkew > MaxClockSkew ? MaxClockSkew : ClockSkew;

    /// <summary>The lifetime of an exchange that names none, within <see cref="EffectiveMaxKeyLifetime"/>.</summary>
    public TimeSpan EffectiveDefaultKeyLifetime => DefaultKeyLifetime <= TimeSpan.Zero || DefaultKeyLifetime > EffectiveMaxKeyLifetime ? EffectiveMaxKeyLifetime : DefaultKeyLifetime;

    public TimeSpan EffectiveMaxKeyLifetime => MaxKeyLifetime <= TimeSpan.Zero || MaxKeyLifetime > KeyLifetimeCeiling ? KeyLifetimeCeiling : MaxKeyLifetime;
}

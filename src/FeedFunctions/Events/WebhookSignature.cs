using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FeedFunctions.Events;

/// <summary>
/// <c>X-Feed-Signature: t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{body}")}</c>. Signing the timestamp with
/// the body lets receivers reject replays (check that t is recent) as well as forgeries.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "X-Feed-Signature";

    public static string Create(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>What a receiver does: recompute and compare in constant time, and refuse stale timestamps.</summary>
    public static bool Verify(string secret, string header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            || !parts.TryGetValue("v1", out var v1))
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - unix) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Create(secret, unix, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes($"t={t},v1={v1}"));
    }
}

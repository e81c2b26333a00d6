using System.Security.Cryptography;
using System.Text;

namespace FeedFunctions.Auth;

/// <summary>Key format and hashing. Keys look like <c>nfk_{keyId}_{secret}</c>: the id finds the row, the hash proves the key.</summary>
public static class ApiKeyHasher
{
    public const string Prefix = "nfk_";

    /// <summary>Anything longer is not one of ours; refuse before hashing attacker-sized input.</summary>
    public const int MaxKeyLength = 256;

    public static (string KeyId, string Key) Generate()
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (keyId, $"{Prefix}{keyId}_{secret}");
    }

    public static string? TryGetKeyId(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length > MaxKeyLength)
        {
            return null;
        }

        var end = key.IndexOf('_', Prefix.Length);
        var id = end < 0 ? null : key[Prefix.Length..end];
        return id is { Length: 12 } && id.All(char.IsAsciiHexDigitLower) ? id : null;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string HashHex(string key) => Convert.ToHexStringLower(Hash(key));

    /// <summary>Constant-time: the time taken does not depend on how many bytes match.</summary>
    public static bool HashEquals(byte[] presentedHash, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(presentedHash, storedHash);
}

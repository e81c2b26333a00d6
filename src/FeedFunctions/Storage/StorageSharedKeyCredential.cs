using System.Security.Cryptography;
using System.Text;

namespace FeedFunctions.Storage;

/// <summary>An account name and its key; the key never leaves this type except as an HMAC.</summary>
public sealed class StorageSharedKeyCredential
{
    private readonly byte[] _key;

    public StorageSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        ArgumentException.ThrowIfNullOrEmpty(accountKey);
        AccountName = accountName;
        try
        {
            _key = Convert.FromBase64String(accountKey);
        }
        catch (FormatException)
        {
            throw new FormatException("The storage account key is not valid base64.");
        }
    }

    public string AccountName { get; }

    public string ComputeSignature(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));

    public override string ToString() => $"SharedKey({AccountName})";
}

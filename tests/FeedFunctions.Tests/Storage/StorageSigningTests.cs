using System.Security.Cryptography;
using System.Text;
using Azure;
using FeedFunctions.Storage;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Storage;

/// <summary>
/// The Shared Key string-to-sign against the strings that Azurite 3.37.0 accepted (reference §7), and the
/// signature itself against an HMAC computed outside our code.
/// </summary>
public sealed class StorageSigningTests
{
    private const string Account = StorageConnectionString.DevelopmentAccountName;
    private const string Date = "Sat, 21 Nov 2026 15:26:28 GMT";

    private const string CreateContainerStringToSign =
        "PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Sat, 21 Nov 2026 15:26:28 GMT\nx-ms-version:2025-11-05\n" +
        "/devstoreaccount1/devstoreaccount1/checkc\nrestype:container";

    [Fact]
    public void Create_container_string_to_sign_matches_the_verified_one()
    {
        var actual = StorageSharedKeyPolicy.BuildStringToSign(
            "PUT",
            new Uri("http://127.0.0.1:10000/devstoreaccount1/checkc?restype=container"),
            Headers(("x-ms-version", "2025-11-05"), ("x-ms-date", Date)),
            Account);

        Assert.Equal(CreateContainerStringToSign, actual);
    }

    [Fact]
    public void Put_blob_string_to_sign_with_md5_if_none_match_and_metadata_matches_the_verified_one()
    {
        // Deliberately unsorted and mixed-case: the signer must sort and lower-case the x-ms headers itself.
        var actual = StorageSharedKeyPolicy.BuildStringToSign(
            "PUT",
            new Uri("http://127.0.0.1:10000/devstoreaccount1/checkc/hello%20world.txt"),
            Headers(
                ("x-ms-version", "2025-11-05"),
                ("X-MS-Meta-Origin", "sanity"),
                ("Content-Type", "text/plain; charset=utf-8"),
                ("x-ms-date", Date),
                ("Content-Length", "11"),
                ("If-None-Match", "*"),
                ("Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww=="),
                ("x-ms-blob-type", "BlockBlob"),
                ("User-Agent", "not signed")),
            Account);

        Assert.Equal(
            "PUT\n\n\n11\nXrY7u+Ae7tCTyyK7j1rNww==\ntext/plain; charset=utf-8\n\n\n\n*\n\n\n" +
            "x-ms-blob-type:BlockBlob\nx-ms-date:Sat, 21 Nov 2026 15:26:28 GMT\nx-ms-meta-origin:sanity\nx-ms-version:2025-11-05\n" +
            "/devstoreaccount1/devstoreaccount1/checkc/hello%20world.txt",
            actual);
    }

    [Fact]
    public void Get_blob_with_range_string_to_sign_matches_the_verified_one()
    {
        var actual = StorageSharedKeyPolicy.BuildStringToSign(
            "GET",
            new Uri("http://127.0.0.1:10000/devstoreaccount1/checkc/hello%20world.txt"),
            Headers(("x-ms-date", Date), ("Range", "bytes=0-4"), ("x-ms-version", "2025-11-05")),
            Account);

        Assert.Equal(
            "GET\n\n\n\n\n\n\n\n\n\n\nbytes=0-4\nx-ms-date:Sat, 21 Nov 2026 15:26:28 GMT\nx-ms-version:2025-11-05\n" +
            "/devstoreaccount1/devstoreaccount1/checkc/hello%20world.txt",
            actual);
    }

    [Fact]
    public void Put_message_string_to_sign_matches_the_verified_one()
    {
        var actual = StorageSharedKeyPolicy.BuildStringToSign(
            "post",
            new Uri("http://127.0.0.1:10001/devstoreaccount1/checkq/messages?visibilitytimeout=0&messagettl=3600"),
            Headers(("Content-Type", "application/xml"), ("Content-Length", "72"), ("x-ms-date", Date), ("x-ms-version", "2025-11-05")),
            Account);

        Assert.Equal(
            "POST\n\n\n72\n\napplication/xml\n\n\n\n\n\n\nx-ms-date:Sat, 21 Nov 2026 15:26:28 GMT\nx-ms-version:2025-11-05\n" +
            "/devstoreaccount1/devstoreaccount1/checkq/messages\nmessagettl:3600\nvisibilitytimeout:0",
            actual);
    }

    [Fact]
    public void Zero_length_is_signed_blank_and_query_values_are_decoded_lowercased_and_sorted()
    {
        var actual = StorageSharedKeyPolicy.BuildStringToSign(
            "DELETE",
            new Uri("http://127.0.0.1:10001/devstoreaccount1/q/messages/abc?PopReceipt=a%2Bb%2F%3D&Tag=z&tag=y"),
            Headers(("Content-Length", "0"), ("x-ms-date", Date), ("x-ms-meta-note", "  two   words\t here "), ("x-ms-empty", "")),
            Account);

        Assert.Equal(
            "DELETE\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Sat, 21 Nov 2026 15:26:28 GMT\nx-ms-empty:\nx-ms-meta-note:two words here\n" +
            "/devstoreaccount1/devstoreaccount1/q/messages/abc\npopreceipt:a+b/=\ntag:y,z",
            actual);
    }

    [Fact]
    public void Signature_of_a_known_string_with_the_dev_key_is_the_expected_hmac()
    {
        var credential = new StorageSharedKeyCredential(Account, StorageConnectionString.DevelopmentAccountKey);

        var signature = credential.ComputeSignature(CreateContainerStringToSign);

        var independent = Convert.ToBase64String(HMACSHA256.HashData(
            Convert.FromBase64String(StorageConnectionString.DevelopmentAccountKey),
            Encoding.UTF8.GetBytes(CreateContainerStringToSign)));
        Assert.Equal(independent, signature);

        // Computed with openssl (HMAC-SHA256, hex key of the decoded dev key) so a shared bug cannot hide.
        Assert.Equal("06UCEHs6IJ8pV+251oEF2hH5ePzSvKSU28k/HTyEdA0=", signature);
        Assert.Equal(signature, credential.ComputeSignature(CreateContainerStringToSign));
    }

    [Fact]
    public async Task Wrong_account_key_is_refused_by_azurite_with_403()
    {
        var azurite = await AzuriteInstance.GetAsync();
        var good = azurite.Connection;
        var wrongKey = new StorageSharedKeyCredential(Account, Convert.ToBase64String(new byte[64]));
        var bad = new StorageConnection(good.BlobEndpoint, good.QueueEndpoint, good.TableEndpoint, wrongKey);
        var name = StorageNames.Queue("auth");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => new QueueClient(bad, name).CreateIfNotExistsAsync());

        Assert.Equal(403, error.Status);
        Assert.Contains(error.ErrorCode, new[] { "AuthorizationFailure", "AuthenticationFailed" });
        Assert.Contains("403", error.Message);
        Assert.Contains(error.ErrorCode!, error.Message);

        // The same request with the right key goes through, so the 403 is down to the key alone.
        var queue = new QueueClient(good, name);
        Assert.True(await queue.CreateIfNotExistsAsync());
        await queue.DeleteIfExistsAsync();
    }

    private static List<KeyValuePair<string, string>> Headers(params (string Name, string Value)[] headers) =>
        headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList();
}

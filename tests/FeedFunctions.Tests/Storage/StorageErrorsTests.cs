using System.Diagnostics.CodeAnalysis;
using System.Text;
using Azure;
using Azure.Core;
using FeedFunctions.Storage;

namespace FeedFunctions.Tests.Storage;

public sealed class StorageErrorsTests
{
    [Fact]
    public async Task Compact_xml_error_keeps_both_code_and_message()
    {
        // Azure writes the error body without whitespace between elements, unlike Azurite.
        using var response = new FakeResponse(
            404, "The specified queue does not exist.",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>QueueNotFound</Code><Message>The specified queue does not exist.\nRequestId:1\nTime:x</Message></Error>");

        var error = await StorageErrors.CreateAsync(response, CancellationToken.None);

        Assert.Equal(404, error.Status);
        Assert.Equal("QueueNotFound", error.ErrorCode);
        Assert.EndsWith("(QueueNotFound): The specified queue does not exist.", error.Message);
    }

    [Fact]
    public async Task Header_code_wins_and_an_unparsable_body_still_gives_status()
    {
        using var response = new FakeResponse(403, "Forbidden", "<not xml", ("x-ms-error-code", "AuthenticationFailed"));

        var error = await StorageErrors.CreateAsync(response, CancellationToken.None);

        Assert.Equal(403, error.Status);
        Assert.Equal("AuthenticationFailed", error.ErrorCode);
        Assert.True(error.Is(403, "AuthenticationFailed"));
    }

    [Fact]
    public async Task Table_json_error_code_and_message_are_read()
    {
        using var response = new FakeResponse(
            409, "Conflict",
            """{"odata.error":{"code":"EntityAlreadyExists","message":{"lang":"en-US","value":"The specified entity already exists.\nRequestId:1"}}}""");

        var error = await StorageErrors.CreateAsync(response, CancellationToken.None);

        Assert.Equal(StorageErrors.EntityAlreadyExists, error.ErrorCode);
        Assert.EndsWith(": The specified entity already exists.", error.Message);
    }

    private sealed class FakeResponse(int status, string reason, string body, params (string Name, string Value)[] headers) : Response
    {
        public override int Status => status;

        public override string ReasonPhrase => reason;

        public override Stream? ContentStream { get; set; } = new MemoryStream(Encoding.UTF8.GetBytes(body));

        public override string ClientRequestId { get; set; } = "test";

        public override void Dispose() => ContentStream?.Dispose();

        protected override bool ContainsHeader(string name) => headers.Any(h => Matches(h.Name, name));

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => headers.Select(h => new HttpHeader(h.Name, h.Value));

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = headers.Where(h => Matches(h.Name, name)).Select(h => h.Value).FirstOrDefault();
            return value is not null;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            var found = headers.Where(h => Matches(h.Name, name)).Select(h => h.Value).ToList();
            values = found.Count > 0 ? found : null;
            return values is not null;
        }

        private static bool Matches(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }
}

using System.Diagnostics;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using FeedFunctions.Storage;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Storage;

/// <summary>Runs the queue client against the shared Azurite; every test gets its own queue.</summary>
public sealed class QueueClientTests : IAsyncLifetime
{
    private static readonly TimeSpan PollDeadline = TimeSpan.FromSeconds(20);

    private QueueClient _queue = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteInstance.GetAsync();
        _queue = new QueueClient(azurite.Connection, StorageNames.Queue());
    }

    public async Task DisposeAsync() => await _queue.DeleteIfExistsAsync();

    [Fact]
    public async Task CreateIfNotExists_twice_reports_created_then_existing()
    {
        Assert.True(await _queue.CreateIfNotExistsAsync());
        Assert.False(await _queue.CreateIfNotExistsAsync());
        Assert.Equal(0, await _queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task DeleteIfExists_reports_whether_there_was_a_queue()
    {
        await _queue.CreateIfNotExistsAsync();
        Assert.True(await _queue.DeleteIfExistsAsync());
        Assert.False(await _queue.DeleteIfExistsAsync());
    }

    [Fact]
    public async Task Send_then_receive_round_trips_base64_utf8_including_non_ascii()
    {
        await _queue.CreateIfNotExistsAsync();
        const string json = """{"id":"Contoso.Ünïcødé","version":"1.0.0-β","note":"日本語 🚀 <&>"}""";

        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var receipt = await _queue.SendMessageAsync(json);

        Assert.False(string.IsNullOrEmpty(receipt.MessageId));
        Assert.False(string.IsNullOrEmpty(receipt.PopReceipt));
        Assert.InRange(receipt.InsertedOn, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.InRange(receipt.ExpiresOn - receipt.InsertedOn, TimeSpan.FromDays(7) - TimeSpan.FromSeconds(2), TimeSpan.FromDays(7) + TimeSpan.FromSeconds(2));
        Assert.InRange(receipt.NextVisibleOn - receipt.InsertedOn, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1));

        var peeked = Assert.Single(await _queue.PeekMessagesAsync());
        Assert.Equal(receipt.MessageId, peeked.MessageId);
        Assert.Equal(0, peeked.DequeueCount);
        Assert.Equal(json, peeked.MessageText);

        var message = Assert.Single(await _queue.ReceiveMessagesAsync(maxMessages: 32));
        Assert.Equal(receipt.MessageId, message.MessageId);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), message.Body);
        Assert.Equal(json, message.MessageText);
        Assert.Equal(1, message.DequeueCount);
        Assert.Equal(receipt.InsertedOn, message.InsertedOn);
        Assert.Equal(receipt.ExpiresOn, message.ExpiresOn);
        Assert.True(message.NextVisibleOn > message.InsertedOn);
        Assert.NotEqual(receipt.PopReceipt, message.PopReceipt);

        await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        Assert.Empty(await _queue.PeekMessagesAsync());
    }

    [Fact]
    public async Task Receive_keeps_a_body_that_is_not_base64_raw_with_null_text()
    {
        await _queue.CreateIfNotExistsAsync();
        const string raw = "plain text, not base64!";
        await PutRawMessageAsync(raw);

        var message = Assert.Single(await _queue.ReceiveMessagesAsync());
        Assert.Equal(raw, message.Body);
        Assert.Null(message.MessageText);
    }

    [Fact]
    public async Task Received_message_is_hidden_until_its_visibility_timeout_expires()
    {
        await _queue.CreateIfNotExistsAsync();
        await _queue.SendMessageAsync("hide me");

        var clock = Stopwatch.StartNew();
        var first = Assert.Single(await _queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(2)));
        var second = await _queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(2));

        // The service rounds to whole seconds, so a 2 s timeout hides the message for at least 1 s after the
        // first receive; only a second receive inside that window proves anything.
        if (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            Assert.Empty(second);
        }

        var again = await PollForSingleAsync(() => _queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(30)));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"The message came back after only {clock.Elapsed}.");
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(2, again.DequeueCount);
        Assert.NotEqual(first.PopReceipt, again.PopReceipt);
        Assert.Equal("hide me", again.MessageText);
    }

    [Fact]
    public async Task DequeueCount_increments_on_each_receive()
    {
        await _queue.CreateIfNotExistsAsync();
        await _queue.SendMessageAsync("count me");

        for (var expected = 1; expected <= 3; expected++)
        {
            var message = await PollForSingleAsync(() => _queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(30)));
            Assert.Equal(expected, message.DequeueCount);

            // Visibility zero hands the message straight back instead of waiting out the 30 s.
            await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task Update_returns_new_pop_receipt_and_the_old_one_no_longer_deletes()
    {
        await _queue.CreateIfNotExistsAsync();
        await _queue.SendMessageAsync("update me");
        var message = Assert.Single(await _queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(30)));

        var before = DateTimeOffset.UtcNow;
        var update = await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, TimeSpan.FromSeconds(60));
        Assert.False(string.IsNullOrEmpty(update.PopReceipt));
        Assert.NotEqual(message.PopReceipt, update.PopReceipt);
        Assert.InRange(update.NextVisibleOn, before.AddSeconds(55), before.AddSeconds(65));

        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt));
        Assert.Contains(stale.Status, new[] { 400, 404 });
        Assert.False(string.IsNullOrEmpty(stale.ErrorCode));

        await _queue.DeleteMessageAsync(message.MessageId, update.PopReceipt);
        Assert.Equal(0, await _queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task Update_with_text_replaces_the_message_text()
    {
        await _queue.CreateIfNotExistsAsync();
        await _queue.SendMessageAsync("old");
        var message = Assert.Single(await _queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(30)));

        await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, TimeSpan.Zero, "new ✓");

        var updated = await PollForSingleAsync(() => _queue.ReceiveMessagesAsync());
        Assert.Equal(message.MessageId, updated.MessageId);
        Assert.Equal("new ✓", updated.MessageText);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("new ✓")), updated.Body);
    }

    [Fact]
    public async Task Message_of_exactly_48_KiB_utf8_fits_once_base64_encoded()
    {
        await _queue.CreateIfNotExistsAsync();

        // Three UTF-8 bytes per char, so the limit is counted in bytes, not chars.
        var text = new string('€', 48 * 1024 / 3);
        await _queue.SendMessageAsync(text);

        var message = Assert.Single(await _queue.ReceiveMessagesAsync());
        Assert.Equal(64 * 1024, message.Body.Length);
        Assert.Equal(text, message.MessageText);
    }

    [Fact]
    public async Task Oversize_message_is_rejected_before_any_request()
    {
        var azurite = await AzuriteInstance.GetAsync();
        var counter = new CountingPolicy();
        var options = new StorageClientOptions();
        options.PerRetryPolicies.Add(counter);
        var queue = new QueueClient(azurite.Connection, _queue.Name, options);

        var text = new string('€', 48 * 1024 / 3) + "a";
        var send = await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(text));
        Assert.Equal("messageText", send.ParamName);
        await Assert.ThrowsAsync<ArgumentException>(() => queue.UpdateMessageAsync("id", "receipt", TimeSpan.Zero, text));
        Assert.Equal(0, counter.Requests);

        // The same client does reach the service, so the zero above is not a broken counter.
        await queue.CreateIfNotExistsAsync();
        Assert.Equal(1, counter.Requests);
    }

    [Fact]
    public async Task Approximate_message_count_follows_sends_and_deletes()
    {
        await _queue.CreateIfNotExistsAsync();
        for (var i = 0; i < 3; i++)
        {
            await _queue.SendMessageAsync($"m{i}");
        }

        Assert.Equal(3, await _queue.GetApproximateMessageCountAsync());

        var message = Assert.Single(await _queue.ReceiveMessagesAsync());
        await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        Assert.Equal(2, await _queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task Send_with_visibility_delay_and_ttl_is_reflected_in_the_receipt()
    {
        await _queue.CreateIfNotExistsAsync();
        var receipt = await _queue.SendMessageAsync("later", TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5));

        Assert.InRange(receipt.NextVisibleOn - receipt.InsertedOn, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(31));
        Assert.InRange(receipt.ExpiresOn - receipt.InsertedOn, TimeSpan.FromSeconds(299), TimeSpan.FromSeconds(301));
        Assert.Empty(await _queue.ReceiveMessagesAsync());
        Assert.Equal(1, await _queue.GetApproximateMessageCountAsync());

        var forever = await _queue.SendMessageAsync("forever", timeToLive: Timeout.InfiniteTimeSpan);
        Assert.True(forever.ExpiresOn.Year >= 9999, $"Expected no expiry, got {forever.ExpiresOn:O}.");
    }

    [Fact]
    public async Task Operations_on_a_missing_queue_throw_with_status_and_code()
    {
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => _queue.SendMessageAsync("nowhere"));
        Assert.Equal(404, error.Status);
        Assert.Equal("QueueNotFound", error.ErrorCode);
        Assert.Contains("QueueNotFound", error.Message);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Abc")]
    [InlineData("a--b")]
    [InlineData("-abc")]
    [InlineData("abc-")]
    [InlineData("a_b")]
    [InlineData("a.b")]
    [InlineData("")]
    public async Task Invalid_queue_names_are_rejected(string name)
    {
        var azurite = await AzuriteInstance.GetAsync();
        var error = Assert.Throws<ArgumentException>(() => new QueueClient(azurite.Connection, name));
        Assert.Equal("queueName", error.ParamName);
    }

    [Fact]
    public void Queue_name_limits_are_3_to_63_characters()
    {
        Assert.True(QueueClient.IsValidQueueName("abc"));
        Assert.True(QueueClient.IsValidQueueName("a-b-c1"));
        Assert.True(QueueClient.IsValidQueueName("123"));
        Assert.True(QueueClient.IsValidQueueName(new string('a', 63)));
        Assert.False(QueueClient.IsValidQueueName(new string('a', 64)));
        Assert.False(QueueClient.IsValidQueueName(null));
    }

    [Fact]
    public void Uri_appends_the_name_to_the_endpoint_with_or_without_a_trailing_slash()
    {
        var pipeline = HttpPipelineBuilder.Build(new StorageClientOptions());
        Assert.Equal(
            "http://127.0.0.1:10001/devstoreaccount1/jobs",
            new QueueClient(pipeline, new Uri("http://127.0.0.1:10001/devstoreaccount1/"), "jobs").Uri.AbsoluteUri);
        Assert.Equal(
            "https://acct.queue.core.windows.net/jobs",
            new QueueClient(pipeline, new Uri("https://acct.queue.core.windows.net"), "jobs").Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public async Task Receive_and_peek_reject_message_counts_outside_1_to_32(int count)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _queue.ReceiveMessagesAsync(count));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _queue.PeekMessagesAsync(count));
    }

    private static async Task<QueueMessage> PollForSingleAsync(Func<Task<IReadOnlyList<QueueMessage>>> receive) =>
        Assert.Single(await Poll.UntilAsync(receive, messages => messages.Count > 0, PollDeadline, "a message to become visible"));

    /// <summary>Puts a message body verbatim, bypassing the client's base64, as a foreign producer would.</summary>
    private async Task PutRawMessageAsync(string rawText)
    {
        var azurite = await AzuriteInstance.GetAsync();
        var pipeline = StoragePipeline.Build(azurite.Connection, StorageService.Queue);
        using var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Post;
        message.Request.Uri.Reset(new Uri(_queue.Uri.AbsoluteUri + "/messages"));
        var body = Encoding.UTF8.GetBytes($"<QueueMessage><MessageText>{rawText}</MessageText></QueueMessage>");
        message.Request.Content = RequestContent.Create(body);
        message.Request.Headers.SetValue("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        await pipeline.SendAsync(message, CancellationToken.None);
        Assert.Equal(201, message.Response.Status);
    }

    private sealed class CountingPolicy : HttpPipelineSynchronousPolicy
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _requests);
    }
}

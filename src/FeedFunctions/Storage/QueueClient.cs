using System.Globalization;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FeedFunctions.Storage;

/// <summary>
/// One storage queue over the Queue REST API, shaped like Azure.Storage.Queues' QueueClient. Message text is
/// sent as base64 of its UTF-8 bytes because that is what the Functions queue trigger decodes by default;
/// anything else lands in the poison queue.
/// </summary>
public sealed class QueueClient
{
    /// <summary>Put/Update/Get Messages refuse visibility timeouts and TTLs beyond seven days.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    public const int MaxMessagesPerReceive = 32;

    private readonly HttpPipeline _pipeline;

    public QueueClient(StorageConnection connection, string queueName, StorageClientOptions? options = null)
        : this(
            StoragePipeline.Build(connection ?? throw new ArgumentNullException(nameof(connection)), StorageService.Queue, options),
            connection.QueueEndpoint,
            queueName)
    {
    }

    /// <param name="pipeline">A pipeline that already adds x-ms-version and authorization (see <see cref="StoragePipeline"/>).</param>
    /// <param name="queueServiceEndpoint">The account's queue endpoint, e.g. <c>http://127.0.0.1:10001/devstoreaccount1</c>.</param>
    /// <param name="queueName">The queue within that account.</param>
    public QueueClient(HttpPipeline pipeline, Uri queueServiceEndpoint, string queueName)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(queueServiceEndpoint);
        ValidateQueueName(queueName);
        _pipeline = pipeline;
        Name = queueName;

        // Appending to the endpoint path rather than resolving a relative URI keeps the emulator's account
        // segment (/devstoreaccount1) whether or not the endpoint ends with a slash.
        var builder = new UriBuilder(queueServiceEndpoint);
        builder.Path = builder.Path.TrimEnd('/') + "/" + queueName;
        Uri = builder.Uri;
    }

    public string Name { get; }

    public Uri Uri { get; }

    /// <returns>True when this call created the queue, false when it already existed.</returns>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Put);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            201 => true,
            204 => false,
            _ => throw await StorageErrors.CreateAsync(response, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <returns>True when this call deleted the queue, false when there was none.</returns>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            204 => true,
            404 => false,
            _ => throw await StorageErrors.CreateAsync(response, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <param name="messageText">Up to 48 KiB once UTF-8 encoded; larger text is refused before any request.</param>
    /// <param name="visibilityTimeout">Delay before the message can be received (0 to 7 days; default 0).</param>
    /// <param name="timeToLive">How long the message lives (default 7 days); <see cref="Timeout.InfiniteTimeSpan"/> never expires.</param>
    public async Task<SendReceipt> SendMessageAsync(
        string messageText,
        TimeSpan? visibilityTimeout = null,
        TimeSpan? timeToLive = null,
        CancellationToken cancellationToken = default)
    {
        var body = QueueMessageCodec.EncodeMessageBody(messageText, nameof(messageText));
        var visibility = visibilityTimeout is { } v ? Seconds(v, 0, nameof(visibilityTimeout)) : (int?)null;
        var ttl = timeToLive is { } t ? TimeToLiveSeconds(t, nameof(timeToLive)) : (int?)null;

        using var message = CreateMessage(RequestMethod.Post, "messages");
        if (visibility is { } visibilitySeconds)
        {
            message.Request.Uri.AppendQuery("visibilitytimeout", visibilitySeconds.ToString(CultureInfo.InvariantCulture));
        }

        if (ttl is { } ttlSeconds)
        {
            message.Request.Uri.AppendQuery("messagettl", ttlSeconds.ToString(CultureInfo.InvariantCulture));
        }

        SetXmlBody(message.Request, body);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 201)
        {
            throw await StorageErrors.CreateAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var sent = QueueMessageCodec.ReadMessages(response.ContentStream).FirstOrDefault()
                   ?? throw new InvalidDataException("Put Message answered 201 without a QueueMessage.");
        return new SendReceipt(
            QueueMessageCodec.Text(sent, "MessageId"),
            QueueMessageCodec.Text(sent, "PopReceipt"),
            QueueMessageCodec.Date(sent, "InsertionTime"),
            QueueMessageCodec.Date(sent, "ExpirationTime"),
            QueueMessageCodec.Date(sent, "TimeNextVisible"));
    }

    /// <param name="maxMessages">1 to 32.</param>
    /// <param name="visibilityTimeout">How long the messages stay hidden from other receivers (1 s to 7 days; service default 30 s).</param>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveMessagesAsync(
        int maxMessages = 1,
        TimeSpan? visibilityTimeout = null,
        CancellationToken cancellationToken = default)
    {
        ValidateMaxMessages(maxMessages);
        var visibility = visibilityTimeout is { } v ? Seconds(v, 1, nameof(visibilityTimeout)) : (int?)null;

        using var message = CreateMessage(RequestMethod.Get, "messages");
        message.Request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        if (visibility is { } visibilitySeconds)
        {
            message.Request.Uri.AppendQuery("visibilitytimeout", visibilitySeconds.ToString(CultureInfo.InvariantCulture));
        }

        return (await GetMessagesAsync(message, cancellationToken).ConfigureAwait(false))
            .Select(m =>
            {
                var body = QueueMessageCodec.Text(m, "MessageText");
                return new QueueMessage(
                    QueueMessageCodec.Text(m, "MessageId"),
                    QueueMessageCodec.Text(m, "PopReceipt"),
                    QueueMessageCodec.Long(m, "DequeueCount"),
                    QueueMessageCodec.Date(m, "InsertionTime"),
                    QueueMessageCodec.Date(m, "ExpirationTime"),
                    QueueMessageCodec.Date(m, "TimeNextVisible"),
                    body,
                    QueueMessageCodec.TryDecode(body));
            })
            .ToList();
    }

    /// <summary>Get Messages and Peek Messages answer the same XML list.</summary>
    private async Task<IReadOnlyList<XElement>> GetMessagesAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 200)
        {
            throw await StorageErrors.CreateAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return QueueMessageCodec.ReadMessages(response.ContentStream);
    }

    /// <param name="maxMessages">1 to 32.</param>
    public async Task<IReadOnlyList<PeekedMessage>> PeekMessagesAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        ValidateMaxMessages(maxMessages);
        using var message = CreateMessage(RequestMethod.Get, "messages");
        message.Request.Uri.AppendQuery("peekonly", "true");
        message.Request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));

        return (await GetMessagesAsync(message, cancellationToken).ConfigureAwait(false))
            .Select(m =>
            {
                var body = QueueMessageCodec.Text(m, "MessageText");
                return new PeekedMessage(
                    QueueMessageCodec.Text(m, "MessageId"),
                    QueueMessageCodec.Long(m, "DequeueCount"),
                    QueueMessageCodec.Date(m, "InsertionTime"),
                    QueueMessageCodec.Date(m, "ExpirationTime"),
                    body,
                    QueueMessageCodec.TryDecode(body));
            })
            .ToList();
    }

    /// <summary>
    /// Extends (or ends, with zero) a received message's invisibility and optionally replaces its text.
    /// The returned pop receipt must be used from now on; the one passed in stops working.
    /// </summary>
    public async Task<UpdateReceipt> UpdateMessageAsync(
        string messageId,
        string popReceipt,
        TimeSpan visibilityTimeout,
        string? messageText = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        var visibility = Seconds(visibilityTimeout, 0, nameof(visibilityTimeout));
        var body = messageText is null ? null : QueueMessageCodec.EncodeMessageBody(messageText, nameof(messageText));

        using var message = CreateMessage(RequestMethod.Put, "messages", messageId);
        message.Request.Uri.AppendQuery("popreceipt", popReceipt);
        message.Request.Uri.AppendQuery("visibilitytimeout", visibility.ToString(CultureInfo.InvariantCulture));
        if (body is not null)
        {
            SetXmlBody(message.Request, body);
        }

        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 204)
        {
            throw await StorageErrors.CreateAsync(response, cancellationToken).ConfigureAwait(false);
        }

        if (!response.Headers.TryGetValue("x-ms-popreceipt", out var newPopReceipt) || string.IsNullOrEmpty(newPopReceipt) ||
            !response.Headers.TryGetValue("x-ms-time-next-visible", out var nextVisible) || nextVisible is null)
        {
            throw new InvalidDataException("Update Message answered without x-ms-popreceipt or x-ms-time-next-visible.");
        }

        return new UpdateReceipt(newPopReceipt, QueueMessageCodec.ParseDate(nextVisible, "x-ms-time-next-visible"));
    }

    public async Task DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        using var message = CreateMessage(RequestMethod.Delete, "messages", messageId);
        message.Request.Uri.AppendQuery("popreceipt", popReceipt);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 204)
        {
            throw await StorageErrors.CreateAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The service's estimate; it can lag behind sends and deletes on a real account.</summary>
    public async Task<int> GetApproximateMessageCountAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Get);
        message.Request.Uri.AppendQuery("comp", "metadata");
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 200)
        {
            throw await StorageErrors.CreateAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return response.Headers.TryGetValue("x-ms-approximate-messages-count", out var count) &&
               int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException("Get Queue Metadata answered without a numeric x-ms-approximate-messages-count.");
    }

    /// <summary>
    /// Queue names: 3-63 characters of lowercase letters, digits and dashes, starting and ending with a letter
    /// or digit, with no two dashes in a row.
    /// </summary>
    public static bool IsValidQueueName(string? name)
    {
        if (name is null || name.Length is < 3 or > 63 || name[0] == '-' || name[^1] == '-')
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') || (c == '-' && name[i - 1] != '-');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static void ValidateQueueName(string queueName)
    {
        ArgumentNullException.ThrowIfNull(queueName);
        if (!IsValidQueueName(queueName))
        {
            throw new ArgumentException(
                $"'{queueName}' is not a valid queue name: use 3-63 lowercase letters, digits and single dashes, " +
                "starting and ending with a letter or digit.",
                nameof(queueName));
        }
    }

    private static void ValidateMaxMessages(int maxMessages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerReceive);
    }

    private static int Seconds(TimeSpan value, int minimumSeconds, string parameterName)
    {
        // The service works in whole seconds; truncating matches Azure.Storage.Queues.
        var seconds = (long)value.TotalSeconds;
        if (seconds < minimumSeconds || value > MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(
                parameterName, value, $"Must be between {minimumSeconds} s and {MaxVisibilityTimeout.TotalDays} days.");
        }

        return (int)seconds;
    }

    private static int TimeToLiveSeconds(TimeSpan value, string parameterName)
    {
        if (value == Timeout.InfiniteTimeSpan || value == TimeSpan.FromSeconds(-1))
        {
            return -1;
        }

        var seconds = (long)value.TotalSeconds;
        if (seconds < 1 || seconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, "Time to live must be at least 1 s, or infinite.");
        }

        return (int)seconds;
    }

    private static void SetXmlBody(Request request, byte[] body)
    {
        request.Content = RequestContent.Create(body);

        // Azure.Core does not show Content-Length to policies, and the Shared Key signer must sign it.
        request.Headers.SetValue("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture));
        request.Headers.SetValue("Content-Type", "application/xml");
    }

    private HttpMessage CreateMessage(RequestMethod method, params string[] pathSegments)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(Uri);
        foreach (var segment in pathSegments)
        {
            message.Request.Uri.AppendPath("/", escape: false);
            message.Request.Uri.AppendPath(segment, escape: true);
        }

        return message;
    }

    private async ValueTask<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }
}

namespace FeedFunctions.Storage;

/// <summary>
/// A message seen by Peek Messages. Peeking does not dequeue, so there is no pop receipt and the message
/// cannot be updated or deleted from here.
/// </summary>
/// <param name="Body">The <c>MessageText</c> exactly as stored, normally base64.</param>
/// <param name="MessageText"><see cref="Body"/> decoded as base64 then UTF-8, or null when it is not both.</param>
public sealed record PeekedMessage(
    string MessageId,
    long DequeueCount,
    DateTimeOffset InsertedOn,
    DateTimeOffset ExpiresOn,
    string Body,
    string? MessageText);

namespace FeedFunctions.Storage;

/// <summary>A message taken off the queue by Get Messages; it stays invisible until <see cref="NextVisibleOn"/>.</summary>
/// <param name="Body">The <c>MessageText</c> exactly as stored, normally base64.</param>
/// <param name="MessageText">
/// <see cref="Body"/> decoded as base64 then UTF-8, or null when it is not both. The Functions queue trigger
/// would send such a message to the poison queue, so a caller can do the same with <see cref="Body"/>.
/// </param>
public sealed record QueueMessage(
    string MessageId,
    string PopReceipt,
    long DequeueCount,
    DateTimeOffset InsertedOn,
    DateTimeOffset ExpiresOn,
    DateTimeOffset NextVisibleOn,
    string Body,
    string? MessageText);

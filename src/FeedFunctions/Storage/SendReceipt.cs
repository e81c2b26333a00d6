namespace FeedFunctions.Storage;

/// <summary>What Put Message reports about a message it accepted.</summary>
public sealed record SendReceipt(
    string MessageId,
    string PopReceipt,
    DateTimeOffset InsertedOn,
    DateTimeOffset ExpiresOn,
    DateTimeOffset NextVisibleOn);

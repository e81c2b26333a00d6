namespace FeedFunctions.Storage;

/// <summary>
/// The result of Update Message. The pop receipt replaces the one passed in; the old one no longer works
/// for a further update or a delete.
/// </summary>
public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleOn);

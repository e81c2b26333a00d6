namespace FeedFunctions.Packages;

/// <summary>An embedded icon's bytes and the image type they were recognized as (never taken from the file name).</summary>
public sealed record PackageIcon(ReadOnlyMemory<byte> Content, string ContentType);

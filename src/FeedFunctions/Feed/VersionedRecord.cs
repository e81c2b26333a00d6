using FeedFunctions.Packages;
using NuGet.Versioning;

namespace FeedFunctions.Feed;

/// <summary>A package row with its parsed version, parsed once for sorting and range checks.</summary>
public sealed record VersionedRecord(PackageRecord Record, NuGetVersion Version);

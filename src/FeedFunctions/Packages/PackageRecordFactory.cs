using FeedFunctions.Publishing;

namespace FeedFunctions.Packages;

internal static class PackageRecordFactory
{
    public static PackageRecord Create(
        PackageMetadata metadata, SpooledPackage upload, string uploadFolder, string keyName, string? session, DateTimeOffset now) => new()
        {
            Id = metadata.Id,
            Version = metadata.NormalizedVersion,
            FullVersion = metadata.FullVersion,
            Listed = true,
            Published = now,
            Size = upload.Length,
            Sha512 = upload.Sha512Base64,
            BlobName = PackageBlobNames.Package(metadata.LowerId, metadata.LowerVersion, uploadFolder),
            ReadmeBlobName = metadata.Readme is null ? null : PackageBlobNames.Readme(metadata.LowerId, metadata.LowerVersion, uploadFolder),
            IconBlobName = metadata.Icon is null ? null : PackageBlobNames.Icon(metadata.LowerId, metadata.LowerVersion, uploadFolder),
            IconContentType = metadata.Icon?.ContentType,
            IsPrerelease = metadata.IsPrerelease,
            IsSemVer2 = metadata.IsSemVer2,
            PushedBy = keyName,
            PushSession = session,
            CatalogJson = CatalogEntryJson.Create(metadata),
            Description = Truncate(metadata.Description, 4000),
            Tags = Truncate(string.Join(' ', metadata.Tags), 4000),
            Authors = Truncate(string.Join(", ", metadata.Authors), 4000),
            Title = Truncate(metadata.Title, 256),
        };

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}

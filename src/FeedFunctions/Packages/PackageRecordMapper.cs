using Azure.Data.Tables;

namespace FeedFunctions.Packages;

internal static class PackageRecordMapper
{
    public static TableEntity ToEntity(PackageRecord record)
    {
        var entity = new TableEntity(record.LowerId, record.LowerVersion)
        {
            ["Id"] = record.Id,
            ["Version"] = record.Version,
            ["FullVersion"] = record.FullVersion,
            ["Listed"] = record.Listed,
            ["Published"] = record.Published,
            ["Size"] = record.Size,
            ["Sha512"] = record.Sha512,
            ["BlobName"] = record.BlobName,
            ["IsPrerelease"] = record.IsPrerelease,
            ["IsSemVer2"] = record.IsSemVer2,
            ["CatalogJson"] = record.CatalogJson,
        };
        SetIfPresent(entity, "NuspecBlobName", record.NuspecBlobName);
        SetIfPresent(entity, "PushedBy", record.PushedBy);
        SetIfPresent(entity, "PushSession", record.PushSession);
        SetIfPresent(entity, "Description", record.Description);
        SetIfPresent(entity, "Tags", record.Tags);
        SetIfPresent(entity, "Authors", record.Authors);
        SetIfPresent(entity, "Title", record.Title);
        SetIfPresent(entity, "ReadmeBlobName", record.ReadmeBlobName);
        SetIfPresent(entity, "IconBlobName", record.IconBlobName);
        SetIfPresent(entity, "IconContentType", record.IconContentType);
        SetIfPresent(entity, "Deprecation", record.Deprecation);
        return entity;
    }

    public static PackageRecord FromEntity(TableEntity entity) => new()
    {
        Id = entity.GetString("Id") ?? entity.PartitionKey,
        Version = entity.GetString("Version") ?? entity.RowKey,
        FullVersion = entity.GetString("FullVersion") ?? entity.RowKey,
        Listed = entity.GetBoolean("Listed") ?? true,
        Published = entity.GetDateTimeOffset("Published") ?? DateTimeOffset.MinValue,
        Size = entity.GetInt64("Size") ?? 0,
        Sha512 = entity.GetString("Sha512") ?? string.Empty,
        BlobName = entity.GetString("BlobName") ?? string.Empty,
        NuspecBlobName = entity.GetString("NuspecBlobName"),
        IsPrerelease = entity.GetBoolean("IsPrerelease") ?? false,
        IsSemVer2 = entity.GetBoolean("IsSemVer2") ?? false,
        PushedBy = entity.GetString("PushedBy"),
        PushSession = entity.GetString("PushSession"),
        CatalogJson = entity.GetString("CatalogJson") ?? "{}",
        Description = entity.GetString("Description"),
        Tags = entity.GetString("Tags"),
        Authors = entity.GetString("Authors"),
        Title = entity.GetString("Title"),
        ReadmeBlobName = entity.GetString("ReadmeBlobName"),
        IconBlobName = entity.GetString("IconBlobName"),
        IconContentType = entity.GetString("IconContentType"),

        // Undeprecating merges an empty string: a merge cannot remove a property.
        Deprecation = entity.GetString("Deprecation") is { Length: > 0 } deprecation ? deprecation : null,
        ETag = entity.ETag,
    };

    private static void SetIfPresent(TableEntity entity, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            entity[name] = value;
        }
    }
}

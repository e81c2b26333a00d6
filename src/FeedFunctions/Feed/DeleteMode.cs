namespace FeedFunctions.Feed;

/// <summary>What <c>DELETE /api/v2/package/{id}/{version}</c> does: unlist (NuGet's convention) or remove for real.</summary>
public enum DeleteMode
{
    Unlist,
    HardDelete,
}

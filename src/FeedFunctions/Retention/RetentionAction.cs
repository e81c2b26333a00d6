namespace FeedFunctions.Retention;

/// <summary>What retention does to a version it removes (<c>Feed:Retention:Action</c>).</summary>
public enum RetentionAction
{
    /// <summary>Row, .nupkg, readme, icon and .snupkg deleted: storage is reclaimed and the version answers 404.</summary>
    Delete,

    /// <summary>Hidden from search and from <c>dotnet add package</c> without a version; restore of it keeps working.</summary>
    Unlist,
}

namespace FeedFunctions.Storage;

/// <summary>How an update treats properties the sent entity does not carry.</summary>
public enum TableUpdateMode
{
    /// <summary>MERGE: properties missing from the sent entity keep their stored values.</summary>
    Merge,

    /// <summary>PUT: the stored entity is replaced, so missing properties are dropped.</summary>
    Replace,
}

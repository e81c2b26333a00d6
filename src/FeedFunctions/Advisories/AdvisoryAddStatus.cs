namespace FeedFunctions.Advisories;

/// <summary>What adding an advisory did.</summary>
public enum AdvisoryAddStatus
{
    Created,
    Exists,
    Conflict,
    UnknownId,
}

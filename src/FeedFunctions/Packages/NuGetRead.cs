namespace FeedFunctions.Packages;

/// <summary>
/// Calls into NuGet.Packaging on untrusted metadata. NuGet's readers assume a well-formed package and fail with
/// whatever the failing step throws: PackagingException, ArgumentException (NuGetVersion.Parse, an empty dependency
/// id), FormatException (bool.Parse), FrameworkException, even IndexOutOfRangeException (NuGetFramework.Parse(",,,")).
/// Any of them means "NuGet cannot read this package", which is the uploader's problem (400), never ours (500).
/// </summary>
internal static class NuGetRead
{
    public static T Get<T>(Func<T> read, Func<Exception, string> reason)
    {
        try
        {
            return read();
        }
        catch (Exception exception) when (IsBadInput(exception))
        {
            throw new InvalidPackageException(reason(exception), exception);
        }
    }

    /// <summary>Everything but cancellation, exhaustion and our own verdicts is a reaction to the input.</summary>
    public static bool IsBadInput(Exception exception) =>
        exception is not (InvalidPackageException or OperationCanceledException or OutOfMemoryException);
}

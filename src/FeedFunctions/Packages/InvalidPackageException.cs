namespace FeedFunctions.Packages;

/// <summary>
/// The uploaded package is unacceptable. <see cref="Exception.Message"/> is safe to send back as an HTTP reason
/// phrase: one line, printable ASCII, at most <see cref="MaxMessageLength"/> characters.
/// </summary>
public sealed class InvalidPackageException : Exception
{
    public const int MaxMessageLength = 200;

    public InvalidPackageException(string message)
        : base(ErrorText.ToReasonPhrase(message))
    {
    }

    public InvalidPackageException(string message, Exception innerException)
        : base(ErrorText.ToReasonPhrase(message), innerException)
    {
    }
}

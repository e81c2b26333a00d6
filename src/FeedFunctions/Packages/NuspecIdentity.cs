using NuGet.Packaging;
using NuGet.Versioning;

namespace FeedFunctions.Packages;

/// <summary>
/// The id and version NuGet reads from a nuspec, under the feed's rules (nuget.org's ASCII id rule and length
/// limits, no unreplaced tokens), after checking that NuGet and every other reader agree on which values those are.
/// </summary>
internal static class NuspecIdentity
{
    /// <summary>
    /// Reads only id and version from .nuspec bytes, e.g. to name a blob before the whole package has arrived. The
    /// same document guards apply as for a whole package; the caller bounds the size.
    /// </summary>
    public static PackageKey ReadKey(byte[] nuspecBytes)
    {
        var (id, version) = NuGetRead.Get(
            () => Read(new NuspecReader(NuspecDocument.Load(nuspecBytes))),
            _ => "The .nuspec cannot be read by NuGet.");
        return new PackageKey(id, version.ToNormalizedString());
    }

    public static (string Id, NuGetVersion Version) Read(NuspecReader nuspec)
    {
        RejectDuplicateElements(nuspec);

        var id = nuspec.GetId();
        NuspecText.RejectReplacementToken("id", id);
        if (!PackageIdentity.TryValidateId(id, out var idError))
        {
            throw new InvalidPackageException(idError);
        }

        return (id, ReadVersion(nuspec));
    }

    /// <summary>
    /// NuGet reads the first of duplicated metadata elements, other tools may read the last; nuget.org refuses
    /// duplicates (PackageMetadata.FromNuspecReader, strict) so the feed and every client agree on a package. NuGet's
    /// own metadata index is case-insensitive, so &lt;title&gt; and &lt;Title&gt; are duplicates too.
    /// </summary>
    private static void RejectDuplicateElements(NuspecReader nuspec)
    {
        var elements = NuGetRead.Get(
            () => nuspec.GetMetadata().ToList(),
            _ => "The .nuspec has no <metadata> element.");
        var duplicate = elements
            .GroupBy(element => element.Key, StringComparer.OrdinalIgnoreCase)
            .FirstOrDefault(group => group.Skip(1).Any());
        if (duplicate is not null)
        {
            throw new InvalidPackageException($"The .nuspec has more than one <{Name(duplicate.Key)}> element.");
        }
    }

    /// <summary>
    /// The version as NuGet parses it (NuGetVersion.Parse, which accepts 1.0 and 01.0 and normalizes them), held to
    /// the feed's own rules on its text; when NuGet cannot parse it, the text is quoted in the reason.
    /// </summary>
    private static NuGetVersion ReadVersion(NuspecReader nuspec)
    {
        NuGetVersion? version;
        var unreadable = false;
        try
        {
            version = nuspec.GetVersion();
        }
        catch (Exception exception) when (NuGetRead.IsBadInput(exception))
        {
            version = null;
            unreadable = true;
        }

        var text = version?.OriginalVersion ?? nuspec.GetMetadataValue("version");
        NuspecText.RejectReplacementToken("version", text);
        if (!PackageIdentity.TryParseVersion(text, out _, out var error))
        {
            throw new InvalidPackageException(error);
        }

        return version ?? throw new InvalidPackageException(unreadable
            ? $"The version {ErrorText.Quote(text)} is not a valid NuGet version."
            : "The package version is missing.");
    }

    /// <summary>Element names come from the upload too: anything but a short plain name is quoted.</summary>
    private static string Name(string localName) =>
        localName.Length <= 40 && localName.All(char.IsAsciiLetterOrDigit) ? localName : ErrorText.Quote(localName);
}

using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace FeedFunctions.Packages;

/// <summary>
/// Turns untrusted .nuspec bytes into the <see cref="XDocument"/> that NuGet's <c>NuspecReader</c> reads. NuGet
/// parses whatever document it is given, so the guards it lacks come first: no DTDs, and a nesting depth bound
/// checked with a linear forward-only pass before the tree is built.
/// </summary>
internal static class NuspecDocument
{
    /// <summary>A real nuspec nests about 5 deep (package/metadata/dependencies/group/dependency).</summary>
    public const int MaxDepth = 32;

    public static XDocument Load(byte[] nuspec)
    {
        // The same whitespace, comment and processing-instruction handling as NuGet's own loader, so element values
        // are exactly what the client reads from this nuspec.
        var settings = new XmlReaderSettings
        {
            // No DTDs means no entity expansion (billion laughs) and no external entities (XXE).
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,

            // Characters never outnumber bytes in any encoding XmlReader detects, so this is a backstop only.
            MaxCharactersInDocument = Math.Max(1, nuspec.Length),
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = true,
        };

        XDocument document;
        try
        {
            CheckDepth(nuspec, settings);
            using var reader = XmlReader.Create(new MemoryStream(nuspec, writable: false), settings);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException exception)
        {
            throw new InvalidPackageException(
                $"The .nuspec is not valid XML (line {exception.LineNumber}, position {exception.LinePosition}).",
                exception);
        }
        catch (DecoderFallbackException exception)
        {
            throw new InvalidPackageException("The .nuspec is not valid XML: it contains bytes invalid in its encoding.", exception);
        }

        // NuGet looks for <metadata> under any root; a nuspec is a <package> document, and pack never writes another.
        if (document.Root is not { Name.LocalName: "package" })
        {
            throw new InvalidPackageException("The .nuspec root element must be <package>.");
        }

        return document;
    }

    /// <summary>
    /// XDocument.Load takes time quadratic in the nesting depth (40,000 nested elements, ~300 KB, cost over 10 s of
    /// CPU), so depth is checked first with a plain forward-only read, which is linear.
    /// </summary>
    private static void CheckDepth(byte[] nuspec, XmlReaderSettings settings)
    {
        using var reader = XmlReader.Create(new MemoryStream(nuspec, writable: false), settings);
        while (reader.Read())
        {
            if (reader.Depth > MaxDepth)
            {
                throw new InvalidPackageException($"The .nuspec nests elements more than {MaxDepth} deep.");
            }
        }
    }
}

using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace FeedFunctions.Packages;

/// <summary>
/// Parses untrusted .nuspec bytes into the <c>package/metadata</c> element. Nuspec schema versions use different
/// namespaces (and some tools emit none), so elements are matched by local name only.
/// </summary>
internal static class NuspecXml
{
    /// <summary>A real nuspec nests about 5 deep (package/metadata/dependencies/group/dependency).</summary>
    public const int MaxDepth = 32;

    public static XElement LoadMetadata(byte[] nuspec)
    {
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

        var root = document.Root;
        if (root is null || root.Name.LocalName != "package")
        {
            throw new InvalidPackageException("The .nuspec root element must be <package>.");
        }

        var metadata = root.Elements().Where(e => e.Name.LocalName == "metadata").ToList();
        return metadata.Count switch
        {
            1 => metadata[0],
            0 => throw new InvalidPackageException("The .nuspec has no <metadata> element."),
            _ => throw new InvalidPackageException("The .nuspec has more than one <metadata> element."),
        };
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

using System.IO.Compression;
using System.Security;
using System.Text;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// Builds .nupkg bytes in memory. Starts valid (id, version, authors, description) and lets a test change exactly
/// the part it is about, e.g.
/// <c>TestPackage.Create("Contoso.Lib", "1.0.0").WithDependency("net8.0", "Other.Lib", "[1.0.0, )").ToBytes()</c>.
/// </summary>
public sealed class TestPackage
{
    public const string DefaultNamespace = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";

    private readonly List<(string Element, string Xml)> _metadata = [];
    private readonly List<(string? Framework, string Id, string? Range, string? Extra)> _dependencies = [];
    private readonly List<(string Name, byte[] Content)> _files = [];
    private string? _rawNuspec;
    private byte[]? _rawNuspecBytes;
    private string? _nuspecEntryName;
    private string? _secondNuspecName;
    private string? _minClientVersion;

    private TestPackage(string id, string version)
    {
        Id = id;
        Version = version;
    }

    public string Id { get; private set; }

    public string Version { get; private set; }

    public string? Authors { get; private set; } = "Contoso";

    public string? Description { get; private set; } = "A test package.";

    public string XmlNamespace { get; private set; } = DefaultNamespace;

    public static TestPackage Create(string id = "Contoso.Lib", string version = "1.0.0") => new(id, version);

    public TestPackage WithId(string id) => Set(() => Id = id);

    public TestPackage WithVersion(string version) => Set(() => Version = version);

    /// <summary>Null omits the element.</summary>
    public TestPackage WithAuthors(string? authors) => Set(() => Authors = authors);

    /// <summary>Null omits the element.</summary>
    public TestPackage WithDescription(string? description) => Set(() => Description = description);

    /// <summary>Uses another nuspec schema namespace, or none with "".</summary>
    public TestPackage WithNamespace(string xmlNamespace) => Set(() => XmlNamespace = xmlNamespace);

    /// <summary>Adds a simple <c>&lt;element&gt;value&lt;/element&gt;</c> to metadata; the value is XML-escaped.</summary>
    public TestPackage WithMetadata(string element, string value) =>
        WithMetadataXml($"<{element}>{SecurityElement.Escape(value)}</{element}>");

    /// <summary>Sets the <c>minClientVersion</c> attribute of <c>&lt;metadata&gt;</c>.</summary>
    public TestPackage WithMinClientVersion(string version) => Set(() => _minClientVersion = version);

    /// <summary>Adds raw XML inside <c>&lt;metadata&gt;</c>, for attributes and nested elements.</summary>
    public TestPackage WithMetadataXml(string xml) => Set(() => _metadata.Add((string.Empty, xml)));

    /// <summary>
    /// Adds a dependency; a null <paramref name="framework"/> writes the legacy flat form (no groups) when every
    /// dependency has a null framework, otherwise a group without targetFramework.
    /// </summary>
    public TestPackage WithDependency(string? framework, string id, string? range = null, string? include = null, string? exclude = null)
    {
        var extra = (include is null ? string.Empty : $" include=\"{SecurityElement.Escape(include)}\"") +
                    (exclude is null ? string.Empty : $" exclude=\"{SecurityElement.Escape(exclude)}\"");
        return Set(() => _dependencies.Add((framework, id, range, extra)));
    }

    public TestPackage WithFile(string entryName, string content) => WithFile(entryName, Encoding.UTF8.GetBytes(content));

    public TestPackage WithFile(string entryName, byte[] content) => Set(() => _files.Add((entryName, content)));

    /// <summary>Replaces the generated nuspec with this exact text (UTF-8, no BOM).</summary>
    public TestPackage WithRawNuspec(string nuspecText) => Set(() => _rawNuspec = nuspecText);

    /// <summary>Replaces the generated nuspec with these exact bytes, e.g. invalid UTF-8.</summary>
    public TestPackage WithRawNuspec(byte[] nuspecBytes) => Set(() => _rawNuspecBytes = nuspecBytes);

    /// <summary>
    /// Zip entry name of the nuspec; defaults to <c>{Id}.nuspec</c>, or <c>package.nuspec</c> when the ID is not
    /// a plain file name, so tests of bad IDs fail on the ID rather than on the entry name.
    /// </summary>
    public TestPackage WithNuspecEntryName(string entryName) => Set(() => _nuspecEntryName = entryName);

    /// <summary>Adds a copy of the nuspec under a second name.</summary>
    public TestPackage WithSecondNuspec(string entryName = "Second.nuspec") => Set(() => _secondNuspecName = entryName);

    public string NuspecEntryName =>
        _nuspecEntryName ?? (Id.Length > 0 && Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') ? Id + ".nuspec" : "package.nuspec");

    public byte[] NuspecBytes => _rawNuspecBytes ?? new UTF8Encoding(false).GetBytes(_rawNuspec ?? GenerateNuspec());

    public byte[] ToBytes()
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, NuspecEntryName, NuspecBytes);
            if (_secondNuspecName is not null)
            {
                Add(zip, _secondNuspecName, NuspecBytes);
            }

            foreach (var (name, content) in _files)
            {
                Add(zip, name, content);
            }
        }

        return output.ToArray();
    }

    public MemoryStream ToStream() => new(ToBytes(), writable: false);

    public string GenerateNuspec()
    {
        var xmlns = XmlNamespace.Length == 0 ? string.Empty : $" xmlns=\"{XmlNamespace}\"";
        var text = new StringBuilder()
            .AppendLine("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
            .AppendLine($"<package{xmlns}>")
            .AppendLine(_minClientVersion is null
                ? "  <metadata>"
                : $"  <metadata minClientVersion=\"{SecurityElement.Escape(_minClientVersion)}\">")
            .AppendLine($"    <id>{SecurityElement.Escape(Id)}</id>")
            .AppendLine($"    <version>{SecurityElement.Escape(Version)}</version>");
        if (Authors is not null)
        {
            text.AppendLine($"    <authors>{SecurityElement.Escape(Authors)}</authors>");
        }

        if (Description is not null)
        {
            text.AppendLine($"    <description>{SecurityElement.Escape(Description)}</description>");
        }

        foreach (var (_, xml) in _metadata)
        {
            text.AppendLine("    " + xml);
        }

        AppendDependencies(text);
        return text.AppendLine("  </metadata>").AppendLine("</package>").ToString();
    }

    private void AppendDependencies(StringBuilder text)
    {
        if (_dependencies.Count == 0)
        {
            return;
        }

        text.AppendLine("    <dependencies>");
        if (_dependencies.All(d => d.Framework is null))
        {
            foreach (var dependency in _dependencies)
            {
                text.AppendLine("      " + DependencyXml(dependency));
            }
        }
        else
        {
            foreach (var group in _dependencies.GroupBy(d => d.Framework))
            {
                var framework = group.Key is null ? string.Empty : $" targetFramework=\"{SecurityElement.Escape(group.Key)}\"";
                text.AppendLine($"      <group{framework}>");
                foreach (var dependency in group)
                {
                    text.AppendLine("        " + DependencyXml(dependency));
                }

                text.AppendLine("      </group>");
            }
        }

        text.AppendLine("    </dependencies>");
    }

    private static string DependencyXml((string? Framework, string Id, string? Range, string? Extra) dependency)
    {
        var version = dependency.Range is null ? string.Empty : $" version=\"{SecurityElement.Escape(dependency.Range)}\"";
        return $"<dependency id=\"{SecurityElement.Escape(dependency.Id)}\"{version}{dependency.Extra} />";
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        stream.Write(content);
    }

    private TestPackage Set(Action change)
    {
        change();
        return this;
    }
}

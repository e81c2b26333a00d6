using System.IO.Compression;
using System.Text;
using FeedFunctions.Packages;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Packages;

public sealed class PackageReaderTests
{
    private const int OneMiB = 1024 * 1024;

    [Fact]
    public async Task Reads_every_metadata_field()
    {
        var package = TestPackage.Create("Contoso.Json", "2.1.0-beta")
            .WithAuthors("Jane Doe, John Roe")
            .WithDescription("Fast JSON.")
            .WithMinClientVersion("5.0.0")
            .WithMetadata("owners", "contoso")
            .WithMetadata("title", "Contoso JSON")
            .WithMetadata("summary", "Short summary.")
            .WithMetadata("tags", "json, serializer  fast,json")
            .WithMetadata("projectUrl", "https://contoso.example/json")
            .WithMetadata("licenseUrl", "https://licenses.nuget.org/MIT")
            .WithMetadataXml("<license type=\"expression\" version=\"1.0.0\">MIT</license>")
            .WithMetadata("iconUrl", "http://contoso.example/icon.png")
            .WithMetadata("icon", @"images\Icon.png")
            .WithMetadata("readme", "docs/README.md")
            .WithMetadata("releaseNotes", "Line one.\nLine two.")
            .WithMetadata("copyright", "(c) Contoso")
            .WithMetadata("language", "en-US")
            .WithMetadata("requireLicenseAcceptance", "true")
            .WithMetadata("developmentDependency", "true")
            .WithMetadata("serviceable", "true")
            .WithMetadataXml("<repository type=\"git\" url=\"https://github.com/contoso/json.git\" branch=\"main\" commit=\"0123abcd\" />")
            .WithMetadataXml("<packageTypes><packageType name=\"Dependency\" /><packageType name=\"DotnetTool\" version=\"1.0\" /></packageTypes>")
            .WithDependency("net8.0", "Other.Lib", "[1.0.0, )", include: "Compile,Runtime", exclude: "Build")
            .WithDependency("net8.0", "Third.Lib", "(, )")
            .WithDependency(".NETFramework4.5", "Other.Lib", "1.0")
            .WithFile("images/Icon.png", [1, 2, 3])
            .WithFile("docs/README.md", "# Readme")
            .WithFile("lib/net8.0/Contoso.Json.dll", [0]);

        var metadata = await ReadAsync(package.ToBytes());

        Assert.Equal("Contoso.Json", metadata.Id);
        Assert.Equal("contoso.json", metadata.LowerId);
        Assert.Equal("2.1.0-beta", metadata.NormalizedVersion);
        Assert.Equal("2.1.0-beta", metadata.FullVersion);
        Assert.Equal("2.1.0-beta", metadata.LowerVersion);
        Assert.True(metadata.IsPrerelease);
        Assert.False(metadata.IsSemVer2);
        Assert.Equal(["Jane Doe", "John Roe"], metadata.Authors);
        Assert.Equal(["contoso"], metadata.Owners);
        Assert.Equal("Contoso JSON", metadata.Title);
        Assert.Equal("Fast JSON.", metadata.Description);
        Assert.Equal("Short summary.", metadata.Summary);
        Assert.Equal(["json", "serializer", "fast"], metadata.Tags);
        Assert.Equal(new Uri("https://contoso.example/json"), metadata.ProjectUrl);
        Assert.Equal(new Uri("https://licenses.nuget.org/MIT"), metadata.LicenseUrl);
        Assert.Equal(new PackageLicense(PackageLicenseType.Expression, "MIT", "1.0.0"), metadata.License);
        Assert.Equal(new Uri("http://contoso.example/icon.png"), metadata.IconUrl);
        Assert.Equal("images/Icon.png", metadata.IconPath);
        Assert.Equal("docs/README.md", metadata.ReadmePath);
        Assert.Equal("Line one.\nLine two.", metadata.ReleaseNotes);
        Assert.Equal("(c) Contoso", metadata.Copyright);
        Assert.Equal("en-US", metadata.Language);
        Assert.True(metadata.RequireLicenseAcceptance);
        Assert.True(metadata.DevelopmentDependency);
        Assert.True(metadata.Serviceable);
        Assert.Equal("5.0.0", metadata.MinClientVersion?.ToNormalizedString());
        Assert.Equal(new PackageRepository("git", "https://github.com/contoso/json.git", "main", "0123abcd"), metadata.Repository);
        Assert.Equal([new PackageTypeInfo("Dependency", null), new PackageTypeInfo("DotnetTool", "1.0")], metadata.PackageTypes);

        Assert.Collection(
            metadata.DependencyGroups,
            net8 =>
            {
                Assert.Equal("net8.0", net8.TargetFramework);
                Assert.Equal(
                    [
                        new PackageDependency("Other.Lib", "[1.0.0, )", "Compile,Runtime", "Build"),
                        new PackageDependency("Third.Lib", "(, )"),
                    ],
                    net8.Dependencies);
            },
            net45 =>
            {
                Assert.Equal("net45", net45.TargetFramework);
                Assert.Equal([new PackageDependency("Other.Lib", "[1.0.0, )")], net45.Dependencies);
            });
    }

    [Fact]
    public async Task Optional_fields_default_to_empty()
    {
        var metadata = await ReadAsync(TestPackage.Create().ToBytes());

        Assert.Null(metadata.Title);
        Assert.Null(metadata.License);
        Assert.Null(metadata.Repository);
        Assert.Null(metadata.MinClientVersion);
        Assert.Empty(metadata.Tags);
        Assert.Empty(metadata.Owners);
        Assert.Empty(metadata.DependencyGroups);
        Assert.False(metadata.RequireLicenseAcceptance);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://schemas.microsoft.com/packaging/2010/07/nuspec.xsd")]
    [InlineData("http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd")]
    [InlineData("http://schemas.microsoft.com/packaging/2012/06/nuspec.xsd")]
    [InlineData("http://schemas.microsoft.com/packaging/2013/01/nuspec.xsd")]
    [InlineData("http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd")]
    public async Task Reads_every_nuspec_schema_namespace(string xmlNamespace)
    {
        var metadata = await ReadAsync(TestPackage.Create("Contoso.Lib", "1.2.3")
            .WithNamespace(xmlNamespace)
            .WithDependency("netstandard2.0", "Other.Lib", "1.0")
            .ToBytes());

        Assert.Equal("Contoso.Lib", metadata.Id);
        Assert.Equal("1.2.3", metadata.NormalizedVersion);
        Assert.Equal("netstandard2.0", Assert.Single(metadata.DependencyGroups).TargetFramework);
    }

    [Fact]
    public async Task License_file_resolves_to_the_entry_name()
    {
        var metadata = await ReadAsync(TestPackage.Create()
            .WithMetadataXml("<license type=\"file\">license.txt</license>")
            .WithFile("LICENSE.txt", "MIT")
            .ToBytes());

        Assert.Equal(new PackageLicense(PackageLicenseType.File, "LICENSE.txt", null), metadata.License);
    }

    [Fact]
    public async Task Legacy_flat_dependencies_apply_to_any_framework()
    {
        var metadata = await ReadAsync(TestPackage.Create()
            .WithDependency(null, "Other.Lib", "[1.0, 2.0)")
            .ToBytes());

        var group = Assert.Single(metadata.DependencyGroups);
        Assert.Equal("", group.TargetFramework);
        Assert.Equal([new PackageDependency("Other.Lib", "[1.0.0, 2.0.0)")], group.Dependencies);
    }

    [Theory]
    [InlineData(".NETFramework4.5", "net45")]
    [InlineData(".NETCoreApp,Version=v3.1", "netcoreapp3.1")]
    [InlineData("net10.0-windows", "net10.0-windows")]
    [InlineData("any", "")]
    [InlineData("portable-net45+win8", "portable-net45+win8")]
    public async Task Target_frameworks_are_normalized_when_known(string targetFramework, string expected)
    {
        var metadata = await ReadAsync(TestPackage.Create().WithDependency(targetFramework, "Other.Lib", "1.0.0").ToBytes());

        Assert.Equal(expected, Assert.Single(metadata.DependencyGroups).TargetFramework);
    }

    // NuGet parses these as the Unsupported framework (or fails to parse them at all), so no client would ever select
    // the group; nuget.org refuses such a package (ManifestValidator), and so do we.
    [Theory]
    [InlineData("garbage!!")]
    [InlineData("net8.0-")]
    [InlineData(",,,")]
    [InlineData("portable-Profile999")]
    public Task Target_frameworks_NuGet_does_not_recognize_are_rejected(string targetFramework) =>
        AssertInvalidAsync(
            TestPackage.Create().WithDependency(targetFramework, "Other.Lib", "1.0.0").ToBytes(),
            "A dependency group has a target framework NuGet does not recognize.");

    // NuGetVersion.TryParse (the client's parser) accepts leading zeros in the numeric parts and normalizes them
    // away, so "01.0" is the same identity as "1.0.0"; we follow it rather than the stricter SemanticVersion parser.
    [Theory]
    [InlineData("1.0", "1.0.0", "1.0.0", "1.0.0")]
    [InlineData("01.0", "1.0.0", "1.0.0", "1.0.0")]
    [InlineData("1.0.0.0", "1.0.0", "1.0.0", "1.0.0")]
    [InlineData("1.00.0.1", "1.0.0.1", "1.0.0.1", "1.0.0.1")]
    [InlineData("1.0.0-Beta", "1.0.0-Beta", "1.0.0-Beta", "1.0.0-beta")]
    [InlineData("1.0.7+R3456", "1.0.7", "1.0.7+R3456", "1.0.7")]
    public async Task Versions_are_normalized_like_nuget(string version, string normalized, string full, string lower)
    {
        var metadata = await ReadAsync(TestPackage.Create("Contoso.Lib", version).ToBytes());

        Assert.Equal(normalized, metadata.NormalizedVersion);
        Assert.Equal(full, metadata.FullVersion);
        Assert.Equal(lower, metadata.LowerVersion);
    }

    [Theory]
    [InlineData("1.0.0", null, false, false)]
    [InlineData("1.0.0-beta", null, true, false)]
    [InlineData("1.0.0-beta.1", null, true, true)]
    [InlineData("1.0.0+build", null, false, true)]
    [InlineData("1.0.0", "[1.0.0-beta, )", false, false)]
    [InlineData("1.0.0", "[1.0.0-beta.1, )", false, true)]
    [InlineData("1.0.0", "(, 2.0.0-rc.1)", false, true)]
    public async Task Detects_prerelease_and_semver2(string version, string? dependencyRange, bool prerelease, bool semVer2)
    {
        var package = TestPackage.Create("Contoso.Lib", version);
        if (dependencyRange is not null)
        {
            package.WithDependency("net8.0", "Other.Lib", dependencyRange);
        }

        var metadata = await ReadAsync(package.ToBytes());

        Assert.Equal(prerelease, metadata.IsPrerelease);
        Assert.Equal(semVer2, metadata.IsSemVer2);
    }

    [Fact]
    public async Task Id_of_exactly_100_characters_is_accepted()
    {
        var id = "A." + new string('b', 98);

        var metadata = await ReadAsync(TestPackage.Create(id).ToBytes());

        Assert.Equal(id, metadata.Id);
    }

    [Fact]
    public async Task Nuspec_files_in_subfolders_are_ignored()
    {
        var metadata = await ReadAsync(TestPackage.Create()
            .WithFile("content/Other.nuspec", "<not even xml")
            .ToBytes());

        Assert.Equal("Contoso.Lib", metadata.Id);
    }

    [Fact]
    public async Task Nuspec_extension_is_case_insensitive()
    {
        var metadata = await ReadAsync(TestPackage.Create().WithNuspecEntryName("Contoso.Lib.NUSPEC").ToBytes());

        Assert.Equal("Contoso.Lib", metadata.Id);
    }

    [Fact]
    public async Task Nuspec_of_exactly_the_limit_is_accepted_and_one_byte_less_is_not()
    {
        var package = TestPackage.Create();
        var size = package.NuspecBytes.Length;

        await ReadAsync(package.ToBytes(), new PackageReaderOptions { MaxNuspecBytes = size });
        await AssertInvalidAsync(package.ToBytes(), $"The .nuspec exceeds {size - 1} bytes.", new PackageReaderOptions { MaxNuspecBytes = size - 1 });
    }

    [Fact]
    public async Task Leaves_the_stream_open()
    {
        using var stream = TestPackage.Create().ToStream();

        await PackageReader.ReadAsync(stream, PackageReaderOptions.Default, CancellationToken.None);

        Assert.True(stream.CanRead);
    }

    // ---- Not a zip, or a hostile one -------------------------------------------------------------------------

    [Fact]
    public Task Garbage_bytes_are_not_a_zip() =>
        AssertInvalidAsync(Encoding.ASCII.GetBytes(new string('x', 5000)), "The package is not a valid zip archive.");

    [Fact]
    public Task Empty_stream_is_not_a_zip() =>
        AssertInvalidAsync([], "The package is not a valid zip archive.");

    [Fact]
    public Task Truncated_zip_is_not_a_zip()
    {
        var bytes = TestPackage.Create().WithFile("lib/net8.0/a.dll", new byte[4000]).ToBytes();

        return AssertInvalidAsync(bytes[..(bytes.Length / 2)], "The package is not a valid zip archive.");
    }

    [Fact]
    public Task Zip_without_any_nuspec_is_rejected() =>
        AssertInvalidAsync(
            new RawZip().AddStored("lib/net8.0/a.dll", [1, 2, 3]).ToBytes(),
            "The package contains no .nuspec file at its root.");

    [Fact]
    public Task Nuspec_only_in_a_subfolder_is_rejected() =>
        AssertInvalidAsync(
            TestPackage.Create().WithNuspecEntryName("content/Contoso.Lib.nuspec").ToBytes(),
            "The package contains no .nuspec file at its root.");

    [Fact]
    public Task Two_root_nuspecs_are_rejected() =>
        AssertInvalidAsync(
            TestPackage.Create().WithSecondNuspec("Copy.nuspec").ToBytes(),
            "The package contains more than one .nuspec file.");

    [Fact]
    public Task More_entries_than_allowed_are_rejected() =>
        AssertInvalidAsync(
            TestPackage.Create().WithFile("a.txt", "a").WithFile("b.txt", "b").ToBytes(),
            "The package contains more than 2 zip entries.",
            new PackageReaderOptions { MaxEntries = 2 });

    [Fact]
    public Task Directory_record_claiming_more_entries_than_it_holds_is_rejected() =>
        AssertInvalidAsync(
            new RawZip { DeclaredEntryCount = 60000 }.AddStored("a.nuspec", [1]).ToBytes(),
            "The package is not a valid zip archive: its central directory is too small for its entry count.");

    // Passes the cheap size check (one long name fills the space of two entries), so ZipArchive itself notices,
    // lazily, when Entries is first read.
    [Fact]
    public Task Directory_record_count_not_matching_its_entries_is_rejected() =>
        AssertInvalidAsync(
            new RawZip { DeclaredEntryCount = 2 }.AddStored(new string('a', 100) + ".nuspec", [1]).ToBytes(),
            "The package is not a valid zip archive.");

    [Fact]
    public Task Directory_record_pointing_outside_the_file_is_rejected() =>
        AssertInvalidAsync(
            new RawZip { DeclaredDirectoryOffset = 1_000_000 }.AddStored("a.nuspec", [1]).ToBytes(),
            "The package is not a valid zip archive: its central directory lies outside the file.");

    [Theory]
    [InlineData("../evil.nuspec", "it contains a relative path segment")]
    [InlineData("lib/../../evil.dll", "it contains a relative path segment")]
    [InlineData("./evil.nuspec", "it contains a relative path segment")]
    [InlineData("/evil.nuspec", "it is an absolute path")]
    [InlineData("C:/evil.nuspec", "it starts with a drive letter")]
    [InlineData(@"lib\evil.dll", "it contains a backslash")]
    [InlineData("lib//evil.dll", "it contains an empty path segment")]
    [InlineData("lib/evil\u0001.dll", "it contains a control character")]
    public Task Dangerous_entry_names_are_rejected(string entryName, string reason) =>
        AssertInvalidAsync(
            TestPackage.Create().WithFile(entryName, "x").ToBytes(),
            $"The package contains an invalid entry name '*': {reason}.");

    [Fact]
    public Task Huge_nuspec_that_compresses_well_is_rejected()
    {
        var package = TestPackage.Create().WithRawNuspec(new string(' ', 5 * 1000 * 1000)).ToBytes();
        Assert.True(package.Length < 100_000, "the test needs a zip bomb: small archive, large content");

        return AssertInvalidAsync(package, "The .nuspec exceeds 1048576 bytes.");
    }

    // A stored (uncompressed) entry is read for as many bytes as its compressed size says, whatever its declared
    // uncompressed size; this one claims 100 bytes and holds 5 MB, so only our own count stops the read.
    [Fact]
    public async Task Reading_stops_at_the_limit_when_the_declared_size_lies()
    {
        var content = new byte[5 * 1000 * 1000];
        Array.Fill(content, (byte)' ');
        var zip = new RawZip().Add("Contoso.Lib.nuspec", content, RawZip.Stored, Crc32.Compute(content), declaredUncompressedSize: 100);
        var package = new CountingStream(zip.ToBytes());

        var exception = await Assert.ThrowsAsync<InvalidPackageException>(
            () => PackageReader.ReadAsync(package, PackageReaderOptions.Default, CancellationToken.None));

        Assert.Equal("The .nuspec exceeds 1048576 bytes.", exception.Message);
        Assert.InRange(package.BytesRead, OneMiB, 2 * OneMiB);
    }

    // ZipArchive stops inflating at the declared uncompressed size, so a lying small size on deflated data yields
    // a truncated nuspec (invalid XML) rather than unbounded output.
    [Fact]
    public async Task Deflated_entry_declared_small_but_actually_huge_is_truncated_and_rejected()
    {
        var content = Encoding.UTF8.GetBytes(TestPackage.Create().GenerateNuspec() + new string(' ', 5 * 1000 * 1000));
        var zip = new RawZip().Add("Contoso.Lib.nuspec", Deflate(content), RawZip.Deflate, Crc32.Compute(content), declaredUncompressedSize: 100);

        await AssertInvalidAsync(zip.ToBytes(), "The .nuspec is not valid XML (line *");
    }

    // The deflate data below is 1.5 MiB of valid spaces followed by an invalid block, honestly declared as larger
    // than the limit. Decompressing it all would fail with the "corrupt" message; refusing on the declared size,
    // or stopping at the limit, gives the size message.
    [Fact]
    public Task Large_declared_size_is_refused_before_reaching_later_data() =>
        AssertInvalidAsync(SpacesThenCorruptDeflate(), "The .nuspec exceeds 1048576 bytes.");

    [Fact]
    public Task Reading_past_the_limit_would_have_hit_the_corrupt_data() =>
        AssertInvalidAsync(
            SpacesThenCorruptDeflate(),
            "The .nuspec entry is corrupt or uses an unsupported compression method.",
            new PackageReaderOptions { MaxNuspecBytes = 4 * OneMiB });

    [Fact]
    public Task Corrupt_deflate_data_is_rejected()
    {
        var corrupt = new byte[64];
        Array.Fill(corrupt, (byte)0xFF);
        var zip = new RawZip().Add("Contoso.Lib.nuspec", corrupt, RawZip.Deflate, 0, declaredUncompressedSize: 1000);

        return AssertInvalidAsync(zip.ToBytes(), "The .nuspec entry is corrupt or uses an unsupported compression method.");
    }

    // ---- Hostile or malformed XML ----------------------------------------------------------------------------

    [Fact]
    public Task External_entities_are_rejected() =>
        AssertInvalidAsync(
            Nuspec("""
                <?xml version="1.0"?>
                <!DOCTYPE package [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <package><metadata><id>&xxe;</id><version>1.0.0</version><authors>a</authors><description>d</description></metadata></package>
                """),
            "The .nuspec is not valid XML (line *");

    [Fact]
    public Task Billion_laughs_is_rejected() =>
        AssertInvalidAsync(
            Nuspec("""
                <?xml version="1.0"?>
                <!DOCTYPE lolz [
                  <!ENTITY lol "lol">
                  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
                  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
                ]>
                <package><metadata><id>a</id><version>1.0.0</version><authors>a</authors><description>&lol4;</description></metadata></package>
                """),
            "The .nuspec is not valid XML (line *");

    [Fact]
    public Task Invalid_utf8_is_rejected()
    {
        var nuspec = Encoding.UTF8.GetBytes(TestPackage.Create().WithDescription("BAD").GenerateNuspec());
        var at = nuspec.AsSpan().IndexOf("BAD"u8);
        nuspec[at] = 0xC3; // a lead byte followed by ASCII: never valid UTF-8
        nuspec[at + 1] = 0x28;

        return AssertInvalidAsync(TestPackage.Create().WithRawNuspec(nuspec).ToBytes(), "The .nuspec is not valid XML*");
    }

    [Theory]
    [InlineData("<notpackage><metadata /></notpackage>", "The .nuspec root element must be <package>.")]
    [InlineData("<package />", "The .nuspec has no <metadata> element.")]
    [InlineData("<package><metadata><id>a</id><id>b</id></metadata></package>", "The .nuspec has more than one <id> element.")]
    [InlineData("<package><metadata>", "The .nuspec is not valid XML (line *")]
    [InlineData("", "The .nuspec is not valid XML (line *")]
    public Task Malformed_nuspec_documents_are_rejected(string nuspec, string expected) =>
        AssertInvalidAsync(Nuspec(nuspec), expected);

    // ---- Metadata rules --------------------------------------------------------------------------------------

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a%2Fb")]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a-")]
    [InlineData("a b")]
    [InlineData("C\u043Entoso.Lib")] // Cyrillic o
    [InlineData(" Contoso.Lib ")] // NuGet reads the id untrimmed, so the client would see the spaces
    [InlineData("Contoso.Lib\u200B")] // zero-width space
    public Task Invalid_ids_are_rejected(string id) =>
        AssertInvalidAsync(TestPackage.Create(id).ToBytes(), "The package ID '*' is invalid: use ASCII letters*");

    [Fact]
    public Task Id_of_101_characters_is_rejected() =>
        AssertInvalidAsync(
            TestPackage.Create("A." + new string('b', 99)).ToBytes(),
            "The package ID '*' is invalid: it is longer than 100 characters.");

    [Fact]
    public async Task Look_alike_characters_are_visible_in_the_message()
    {
        var exception = await AssertInvalidAsync(TestPackage.Create("C\u043Entoso").ToBytes(), "*");

        Assert.StartsWith(@"The package ID 'C\u043Entoso' is invalid", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$id$", "The <id> contains the unreplaced token '$id$'.")]
    [InlineData("  ", "The package ID is missing.")]
    public Task Unusable_ids_are_rejected(string id, string expected) =>
        AssertInvalidAsync(TestPackage.Create(id).ToBytes(), expected);

    [Theory]
    [InlineData("1.0.0-")]
    [InlineData("1.0.0-01")]
    [InlineData("1.0.0.0.0")]
    [InlineData("v1.0")]
    [InlineData("1.0.*")]
    public Task Invalid_versions_are_rejected(string version) =>
        AssertInvalidAsync(
            TestPackage.Create("Contoso.Lib", version).ToBytes(),
            $"The version '{version}' is not a valid NuGet version.");

    [Fact]
    public Task Version_of_65_characters_is_rejected() =>
        AssertInvalidAsync(
            TestPackage.Create("Contoso.Lib", "1.0.0-" + new string('a', 59)).ToBytes(),
            "The version '*' is longer than 64 characters.");

    [Fact]
    public async Task Version_of_64_characters_is_accepted()
    {
        var version = "1.0.0-" + new string('a', 58);

        var metadata = await ReadAsync(TestPackage.Create("Contoso.Lib", version).ToBytes());

        Assert.Equal(version, metadata.NormalizedVersion);
    }

    [Theory]
    [InlineData(null, "A test package.", "The .nuspec is missing the required <authors> element.")]
    [InlineData(" , ", "A test package.", "The .nuspec is missing the required <authors> element.")]
    [InlineData("Contoso", null, "The .nuspec is missing the required <description> element.")]
    [InlineData("Contoso", "   ", "The .nuspec is missing the required <description> element.")]
    [InlineData("Contoso", "$description$", "The <description> contains the unreplaced token '$description$'.")]
    public Task Authors_and_description_are_required(string? authors, string? description, string expected) =>
        AssertInvalidAsync(TestPackage.Create().WithAuthors(authors).WithDescription(description).ToBytes(), expected);

    [Fact]
    public Task Missing_version_is_rejected() =>
        AssertInvalidAsync(
            Nuspec("<package><metadata><id>a</id><authors>a</authors><description>d</description></metadata></package>"),
            "The package version is missing.");

    [Theory]
    [InlineData("projectUrl", "javascript:alert(1)")]
    [InlineData("projectUrl", "ftp://contoso.example/")]
    [InlineData("licenseUrl", "not a url")]
    [InlineData("iconUrl", "/relative/icon.png")]
    public Task Urls_must_be_absolute_http_or_https(string element, string url) =>
        AssertInvalidAsync(
            TestPackage.Create().WithMetadata(element, url).ToBytes(),
            $"The <{element}> '*' is not an absolute http or https URL.");

    [Theory]
    [InlineData("title", 256)]
    [InlineData("description", 4000)]
    [InlineData("summary", 4000)]
    [InlineData("releaseNotes", 35000)]
    [InlineData("tags", 4000)]
    [InlineData("copyright", 4000)]
    [InlineData("projectUrl", 4000)]
    public async Task Field_length_limits_are_enforced(string element, int limit)
    {
        string Value(int length) => element == "projectUrl" ? "https://a.example/" + new string('a', length - 18) : new string('a', length);
        TestPackage Package(int length) => element == "description"
            ? TestPackage.Create().WithDescription(Value(length))
            : TestPackage.Create().WithMetadata(element, Value(length));

        await ReadAsync(Package(limit).ToBytes());
        await AssertInvalidAsync(Package(limit + 1).ToBytes(), $"The <{element}> is longer than {limit} characters.");
    }

    // A range NuGet cannot parse (or none at all) is refused with NuGet's own reason, as nuget.org does: the client's
    // lenient read would turn it into "any version" without a word.
    [Theory]
    [InlineData("[1.0.0", "Invalid package version for a dependency with id 'Other.Lib' in package 'Contoso.Lib.1.0.0': '[1.0.0'")]
    [InlineData("1.0.*", "The dependency 'Other.Lib' has an invalid version range '1.0.*'.")]
    [InlineData("not-a-range", "Invalid package version for a dependency with id 'Other.Lib' in package 'Contoso.Lib.1.0.0': 'not-a-range'")]
    [InlineData("[1.0.0+meta, )", "The dependency 'Other.Lib' has build metadata in its version range '[1.0.0+meta, )'.")]
    [InlineData(null, "Invalid package version for a dependency with id 'Other.Lib' in package 'Contoso.Lib.1.0.0': ''")]
    [InlineData("", "Invalid package version for a dependency with id 'Other.Lib' in package 'Contoso.Lib.1.0.0': ''")]
    public Task Invalid_dependency_ranges_are_rejected(string? range, string expected) =>
        AssertInvalidAsync(TestPackage.Create().WithDependency("net8.0", "Other.Lib", range).ToBytes(), expected);

    [Fact]
    public Task Dependency_range_over_256_characters_is_rejected() =>
        AssertInvalidAsync(
            TestPackage.Create().WithDependency("net8.0", "Other.Lib", "[1.0.0-" + new string('a', 250) + ", )").ToBytes(),
            "The <dependency version> is longer than 256 characters.");

    [Theory]
    [InlineData("a..b")]
    [InlineData("a/b")]
    [InlineData("")]
    public Task Invalid_dependency_ids_are_rejected(string id) =>
        AssertInvalidAsync(TestPackage.Create().WithDependency("net8.0", id, "1.0.0").ToBytes(), "*dependency*ID*");

    [Fact]
    public async Task Dependency_ids_may_use_unicode_letters_and_128_characters()
    {
        var longId = new string('a', 128);
        var metadata = await ReadAsync(TestPackage.Create()
            .WithDependency("net8.0", "C\u043Entoso", "1.0.0")
            .WithDependency("net8.0", longId, "1.0.0")
            .ToBytes());

        Assert.Equal(["C\u043Entoso", longId], metadata.DependencyGroups[0].Dependencies.Select(d => d.Id));
        await AssertInvalidAsync(TestPackage.Create().WithDependency("net8.0", longId + "a", "1.0.0").ToBytes(), "The dependency ID '*' is invalid.");
    }

    [Fact]
    public Task Duplicate_dependency_in_a_group_is_rejected() =>
        AssertInvalidAsync(
            TestPackage.Create().WithDependency("net8.0", "Other.Lib", "1.0.0").WithDependency("net8.0", "other.lib", "2.0.0").ToBytes(),
            "The dependency 'other.lib' is listed twice for 'net8.0'.");

    [Fact]
    public Task Equivalent_framework_groups_are_rejected() =>
        AssertInvalidAsync(
            TestPackage.Create().WithDependency("net45", "A.Lib", "1.0.0").WithDependency(".NETFramework4.5", "B.Lib", "1.0.0").ToBytes(),
            "The .nuspec has more than one dependency group for 'net45'.");

    [Theory]
    [InlineData("<icon>missing.png</icon>", "The <icon> file 'missing.png' does not exist in the package.")]
    [InlineData("<readme>README.md</readme>", "The <readme> file 'README.md' does not exist in the package.")]
    [InlineData("<license type=\"file\">LICENSE</license>", "The <license> file 'LICENSE' does not exist in the package.")]
    [InlineData("<license type=\"url\">MIT</license>", "The <license> type is missing or invalid; use 'expression' or 'file'.")]
    [InlineData("<license>MIT</license>", "The <license> type is missing or invalid; use 'expression' or 'file'.")]
    [InlineData("<license type=\"5\">MIT</license>", "The <license> type is missing or invalid; use 'expression' or 'file'.")]
    [InlineData("<license type=\"expression\">MIT OR</license>", "The <license> is invalid: The license expression is invalid.")]
    [InlineData("<license type=\"expression\" version=\"2.0.0\">MIT</license>", "The <license> is invalid: The license version string '2.0.0' is higher than*")]
    [InlineData("<license type=\"expression\" version=\"x\">MIT</license>", "The <license> is invalid: The license version string 'x'*is invalid.")]
    [InlineData("<license type=\"file\"> </license>", "The <license> is invalid: The license element value is empty.*")]
    [InlineData("<license type=\"expression\">Contoso-Internal</license>", null)] // NuGet warns about a non-standard id
    [InlineData("<license type=\"expression\">UNLICENSED</license>", null)] // and about UNLICENSED: both are fine on a private feed
    [InlineData("<serviceable>yes</serviceable>", "The <serviceable> value 'yes' is not true or false.")]
    [InlineData("<packageTypes><packageType /></packageTypes>", "Nuspec file contains a package type that is missing the name attribute.")]
    [InlineData("<packageTypes><packageType name=\"Tool\" version=\"one\" /></packageTypes>", "Nuspec file contains a package type with an invalid package version 'one'.")]
    [InlineData("<repository type=\"git\" url=\"x\" /><repository />", null)]
    public async Task Other_metadata_rules(string xml, string? expected)
    {
        var package = TestPackage.Create().WithMetadataXml(xml).ToBytes();
        if (expected is null)
        {
            await ReadAsync(package);
            return;
        }

        await AssertInvalidAsync(package, expected);
    }

    // Each boolean is read by NuGet in its own way (see NuspecFlags): a value is accepted only when it is true or
    // false and NuGet reads it as written. "1" and "TRUE" were accepted before (xs:boolean, case-insensitive), but
    // NuGet's GetDevelopmentDependency throws on "1", GetRequireLicenseAcceptance reads it as false, and IsServiceable
    // throws on "TRUE".
    [Theory]
    [InlineData("developmentDependency", "True", null)]
    [InlineData("requireLicenseAcceptance", "FALSE", null)]
    [InlineData("requireLicenseAcceptance", "", null)]
    [InlineData("developmentDependency", "1", "The <developmentDependency> value '1' is not true or false.")]
    [InlineData("developmentDependency", "", "The <developmentDependency> value '' is not true or false.")]
    [InlineData("requireLicenseAcceptance", "1", "The <requireLicenseAcceptance> value '1' is not true or false.")]
    [InlineData("requireLicenseAcceptance", " true ", "The <requireLicenseAcceptance> value ' true ' is read differently by NuGet; use 'true' or 'false'.")]
    [InlineData("serviceable", "TRUE", "The <serviceable> value 'TRUE' is read differently by NuGet; use 'true' or 'false'.")]
    [InlineData("serviceable", "0", "The <serviceable> value '0' is not true or false.")]
    public async Task Flags_are_accepted_only_when_NuGet_reads_them_as_written(string element, string value, string? expected)
    {
        var package = TestPackage.Create().WithMetadata(element, value).ToBytes();
        if (expected is null)
        {
            await ReadAsync(package);
            return;
        }

        await AssertInvalidAsync(package, expected);
    }

    // NuGet reads the first of duplicated elements (its metadata index ignores case); nuget.org refuses duplicates so
    // that no reader can see another value. Empty elements carry no value, so they are not duplicates.
    [Theory]
    [InlineData("<title>a</title><Title>b</Title>", "The .nuspec has more than one <title> element.")]
    [InlineData("<tags>a</tags><tags>b</tags>", "The .nuspec has more than one <tags> element.")]
    [InlineData("<title></title><title>b</title>", null)]
    public async Task Duplicate_metadata_values_are_rejected(string xml, string? expected)
    {
        var package = TestPackage.Create().WithMetadataXml(xml).ToBytes();
        if (expected is null)
        {
            Assert.Equal("b", (await ReadAsync(package)).Title);
            return;
        }

        await AssertInvalidAsync(package, expected);
    }

    // NuGet keeps a group's dependencies in a set, so an identical repeat is one dependency for every client.
    [Fact]
    public async Task Identical_dependencies_collapse_into_one_as_NuGet_reads_them()
    {
        var metadata = await ReadAsync(TestPackage.Create()
            .WithDependency("net8.0", "Other.Lib", "1.0.0")
            .WithDependency("net8.0", "other.lib", "1.0.0")
            .ToBytes());

        Assert.Equal("Other.Lib", Assert.Single(Assert.Single(metadata.DependencyGroups).Dependencies).Id);
    }

    // NuGet reads the first <metadata> and ignores the rest, like every client.
    [Fact]
    public async Task Only_the_first_metadata_element_counts()
    {
        var metadata = await ReadAsync(Nuspec(
            "<package><metadata><id>Contoso.First</id><version>1.0.0</version><authors>a</authors><description>d</description></metadata>" +
            "<metadata><id>Contoso.Second</id></metadata></package>"));

        Assert.Equal("Contoso.First", metadata.Id);
    }

    // PackageArchiveReader unescapes %XX in entry names (old packers escaped '+' and spaces), and the client
    // extracts files under those names: the feed resolves nuspec paths against them and checks them too.
    [Fact]
    public async Task Entry_names_are_read_unescaped_as_NuGet_reads_them()
    {
        var metadata = await ReadAsync(TestPackage.Create()
            .WithMetadata("icon", "images/my icon.png")
            .WithFile("images/my%20icon.png", [1, 2, 3])
            .WithFile("lib/portable-net45%2Bwin8/_._", [])
            .ToBytes());

        Assert.Equal("images/my icon.png", metadata.IconPath);
    }

    [Theory]
    [InlineData("lib%2F..%2F..%2Fevil.dll", "it contains a relative path segment")]
    [InlineData("lib/evil%5C..%5Cx.dll", "it contains a backslash")]
    [InlineData("lib/evil%00.dll", "it contains a control character")]
    [InlineData("%2Fevil.dll", "it is an absolute path")]
    public Task Escaped_entry_names_NuGet_would_extract_dangerously_are_rejected(string entryName, string reason) =>
        AssertInvalidAsync(
            TestPackage.Create().WithFile(entryName, "x").ToBytes(),
            $"The package contains an invalid entry name '*': {reason}.");

    [Fact]
    public Task Invalid_min_client_version_is_rejected() =>
        AssertInvalidAsync(
            TestPackage.Create().WithMinClientVersion("five").ToBytes(),
            "The minClientVersion is not a valid version.");

    [Fact]
    public async Task Messages_are_single_line_printable_and_short()
    {
        var hostileId = "Evil\nSet-Cookie: x=1\t" + new string('\u0430', 300);

        var exception = await AssertInvalidAsync(TestPackage.Create(hostileId).ToBytes(), "The package ID '*");

        Assert.DoesNotContain("\r", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", exception.Message, StringComparison.Ordinal);
        Assert.Contains(@"Evil\u000ASet-Cookie: x=1\u0009\u0430", exception.Message, StringComparison.Ordinal);
    }

    // ---- Helpers ---------------------------------------------------------------------------------------------

    private static Task<PackageMetadata> ReadAsync(byte[] package, PackageReaderOptions? options = null) =>
        PackageReader.ReadAsync(new MemoryStream(package, writable: false), options ?? PackageReaderOptions.Default, CancellationToken.None);

    /// <summary>
    /// Asserts the reader refuses the package with a message matching <paramref name="expected"/> ('*' matches
    /// anything) that is also usable as an HTTP reason phrase.
    /// </summary>
    private static async Task<InvalidPackageException> AssertInvalidAsync(byte[] package, string expected, PackageReaderOptions? options = null)
    {
        var exception = await Assert.ThrowsAsync<InvalidPackageException>(() => ReadAsync(package, options));

        Assert.Matches("^" + string.Join(".*", expected.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$", exception.Message);
        Assert.InRange(exception.Message.Length, 1, InvalidPackageException.MaxMessageLength);
        Assert.All(exception.Message, c => Assert.InRange(c, ' ', '~'));
        return exception;
    }

    private static byte[] Nuspec(string text) => TestPackage.Create().WithRawNuspec(text).ToBytes();

    private static byte[] Deflate(byte[] content)
    {
        var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(content);
        }

        return output.ToArray();
    }

    private static byte[] SpacesThenCorruptDeflate()
    {
        var output = new MemoryStream();
        var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true);
        deflate.Write(Encoding.ASCII.GetBytes(new string(' ', OneMiB + OneMiB / 2)));

        // A sync flush ends on a byte boundary, so the next byte starts a block header; 0xFF declares the
        // reserved block type 3, which every inflater must refuse.
        deflate.Flush();
        output.Write([0xFF, 0xFF, 0xFF, 0xFF]);

        return new RawZip()
            .Add("Contoso.Lib.nuspec", output.ToArray(), RawZip.Deflate, crc: 0, declaredUncompressedSize: 3 * OneMiB)
            .ToBytes();
    }
}

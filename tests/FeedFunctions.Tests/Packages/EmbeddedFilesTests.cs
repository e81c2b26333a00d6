using System.Text;
using FeedFunctions.Packages;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Packages;

/// <summary>The readme and icon a .nuspec names, read at push time under the same bounds as the .nuspec.</summary>
public sealed class EmbeddedFilesTests
{
    private static Task<PackageMetadata> ReadAsync(TestPackage package, PackageReaderOptions? options = null) =>
        PackageReader.ReadAsync(package.ToStream(), options);

    [Fact]
    public async Task Reads_the_readme_and_recognizes_the_icon_by_its_bytes()
    {
        var png = TestImages.Png();
        var metadata = await ReadAsync(TestPackage.Create()
            .WithMetadata("readme", @"docs\README.md")
            .WithFile("docs/README.md", "# Hello")
            .WithMetadata("icon", "images/logo.jpg")
            .WithFile("images/logo.jpg", png));

        Assert.Equal("# Hello", Encoding.UTF8.GetString(metadata.Readme!.Value.Span));
        Assert.Equal("image/png", metadata.Icon!.ContentType);
        Assert.Equal(png, metadata.Icon.Content.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0 }, "image/jpeg")]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 1, 0 }, "image/gif")]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P' }, "image/webp")]
    public void Detects_the_served_image_types(byte[] bytes, string expected) =>
        Assert.Equal(expected, ImageTypes.Detect(bytes));

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")]
    [InlineData("<html><script>alert(1)</script></html>")]
    [InlineData("")]
    public async Task An_icon_that_is_no_served_image_type_is_left_out_and_the_package_accepted(string content)
    {
        var metadata = await ReadAsync(TestPackage.Create().WithMetadata("icon", "icon.png").WithFile("icon.png", content));

        Assert.Equal("icon.png", metadata.IconPath);
        Assert.Null(metadata.Icon);
    }

    [Fact]
    public async Task A_package_without_readme_or_icon_has_neither()
    {
        var metadata = await ReadAsync(TestPackage.Create().WithFile("README.md", "not named by the nuspec"));

        Assert.Null(metadata.Readme);
        Assert.Null(metadata.Icon);
    }

    [Fact]
    public async Task A_readme_or_icon_over_its_limit_refuses_the_package_counting_decompressed_bytes()
    {
        // Highly compressible: a few KB in the zip, 2 MiB decompressed.
        var bigText = new string('x', 2 * 1024 * 1024);
        var readme = await Assert.ThrowsAsync<InvalidPackageException>(() =>
            ReadAsync(TestPackage.Create().WithMetadata("readme", "README.md").WithFile("README.md", bigText)));
        var icon = await Assert.ThrowsAsync<InvalidPackageException>(() =>
            ReadAsync(TestPackage.Create().WithMetadata("icon", "icon.png").WithFile("icon.png", TestImages.Png().Concat(new byte[2 * 1024 * 1024]).ToArray())));
        var atLimit = await ReadAsync(
            TestPackage.Create().WithMetadata("readme", "README.md").WithFile("README.md", new string('y', 1000)),
            new PackageReaderOptions { MaxReadmeBytes = 1000 });

        Assert.Equal("The readme exceeds 1048576 bytes.", readme.Message);
        Assert.Equal("The icon exceeds 1048576 bytes.", icon.Message);
        Assert.Equal(1000, atLimit.Readme!.Value.Length);
    }
}

using System.Text;
using FeedFunctions.Packages;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Packages;

/// <summary>The id and version read from .nuspec bytes alone, as the push stager does to name a blob early.</summary>
public sealed class NuspecIdentityTests
{
    // Only id and version: the files the nuspec names are not in hand yet, and need not be.
    [Fact]
    public void Reads_the_key_from_the_nuspec_alone()
    {
        var nuspec = TestPackage.Create("Contoso.Lib", "01.2-Beta").WithMetadata("icon", "icon.png").NuspecBytes;

        var key = NuspecIdentity.ReadKey(nuspec);

        Assert.Equal(new PackageKey("Contoso.Lib", "1.2.0-Beta"), key);
        Assert.Equal(("contoso.lib", "1.2.0-beta"), (key.LowerId, key.LowerVersion));
    }

    [Theory]
    [InlineData("<package><metadata><id>Bad..Id</id><version>1.0.0</version></metadata></package>", "The package ID 'Bad..Id' is invalid: *")]
    [InlineData("<package><metadata><id>A</id><version>1.0.0-</version></metadata></package>", "The version '1.0.0-' is not a valid NuGet version.")]
    [InlineData("<package><metadata><id>A</id><id>B</id><version>1.0.0</version></metadata></package>", "The .nuspec has more than one <id> element.")]
    [InlineData("<package />", "The .nuspec has no <metadata> element.")]
    [InlineData("<package><metadata>", "The .nuspec is not valid XML (line *")]
    public void Refuses_what_the_package_reader_refuses(string nuspec, string expected)
    {
        var exception = Assert.Throws<InvalidPackageException>(() => NuspecIdentity.ReadKey(Encoding.UTF8.GetBytes(nuspec)));

        Assert.Matches("^" + string.Join(".*", expected.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$", exception.Message);
    }
}

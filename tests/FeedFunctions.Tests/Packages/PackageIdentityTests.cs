using FeedFunctions.Packages;

namespace FeedFunctions.Tests.Packages;

public sealed class PackageIdentityTests
{
    [Theory]
    [InlineData("Contoso.Lib")]
    [InlineData("a")]
    [InlineData("_x-1.y_2")]
    public void Valid_ids_pass(string id)
    {
        Assert.True(PackageIdentity.TryValidateId(id, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("Contoso.Lib\n")] // would pass a regex ending in $ rather than \z
    [InlineData("a%2Fb")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData(null)]
    public void Invalid_ids_fail_with_a_message(string? id)
    {
        Assert.False(PackageIdentity.TryValidateId(id, out var error));
        Assert.StartsWith("The package ID", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0", "1.0.0")]
    [InlineData("01.0", "1.0.0")]
    [InlineData("1.0.0-RC.1+sha", "1.0.0-RC.1")]
    public void Versions_parse_like_nuget(string text, string normalized)
    {
        Assert.True(PackageIdentity.TryParseVersion(text, out var version, out var error));
        Assert.Null(error);
        Assert.Equal(normalized, version.ToNormalizedString());
    }

    [Theory]
    [InlineData(" 1.0.0", "The version ' 1.0.0' is not a valid NuGet version.")]
    [InlineData("1.0.0-", "The version '1.0.0-' is not a valid NuGet version.")]
    [InlineData("", "The package version is missing.")]
    public void Invalid_versions_fail_with_a_message(string text, string expected)
    {
        Assert.False(PackageIdentity.TryParseVersion(text, out var version, out var error));
        Assert.Null(version);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Version_length_is_limited_to_64()
    {
        Assert.True(PackageIdentity.TryParseVersion("1.0.0-" + new string('a', 58), out _, out _));
        Assert.False(PackageIdentity.TryParseVersion("1.0.0-" + new string('a', 59), out _, out var error));
        Assert.Contains("longer than 64 characters", error, StringComparison.Ordinal);
    }
}

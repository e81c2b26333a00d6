using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Browser;

/// <summary>A small, realistic feed (readmes, icons, dependencies, a tool, a prerelease, an unlisted version) for the browser tests and the screenshots.</summary>
internal static class DemoPackages
{
    public const string Readme = """
        # Contoso.Json

        Fast, allocation-free **JSON** reading and writing for .NET.

        ## Install

        ```
        dotnet add package Contoso.Json
        ```

        ## Usage

        ```csharp
        var order = ContosoJson.Parse<Order>(text);
        Console.WriteLine(order.Total);
        ```

        | Feature | Status |
        |---|---|
        | UTF-8 reader | done |
        | Source generator | in preview |

        See the [documentation](https://contoso.example/json/docs) for more.
        """;

    public static async Task PushAsync(IFeedUnderTest host, string prefix = "Contoso")
    {
        await ReadSideHttp.PushAsync(host, Package($"{prefix}.Core", "1.0.0", "Core types shared by the Contoso libraries.", "core primitives", (52, 85, 219)));
        await ReadSideHttp.PushAsync(host, Package($"{prefix}.Core", "1.2.0", "Core types shared by the Contoso libraries.", "core primitives", (52, 85, 219)));
        await ReadSideHttp.PushAsync(host, Package($"{prefix}.Json", "2.0.0", "Fast, allocation-free JSON reading and writing for .NET.", "json serializer fast", (200, 60, 90))
            .WithMetadata("readme", "README.md").WithFile("README.md", Readme.Replace("Contoso.Json", $"{prefix}.Json", StringComparison.Ordinal))
            .WithDependency("net10.0", $"{prefix}.Core", "[1.2.0, 2.0.0)")
            .WithDependency("netstandard2.0", $"{prefix}.Core", "1.2.0")
            .WithDependency("netstandard2.0", "System.Memory", "4.5.5"));
        await ReadSideHttp.PushAsync(host, Package($"{prefix}.Json", "2.1.0", "Fast, allocation-free JSON reading and writing for .NET.", "json serializer fast", (200, 60, 90)));
        await ReadSideHttp.UnlistAsync(host, $"{prefix}.Json", "2.1.0");
        await ReadSideHttp.PushAsync(host, Package($"{prefix}.Json", "3.0.0-preview.1", "Fast, allocation-free JSON reading and writing for .NET.", "json serializer fast", (200, 60, 90)));
        await ReadSideHttp.PushAsync(host, Package($"{prefix}.Http", "1.4.2", "Resilient HTTP clients with retries and typed endpoints.", "http client retry", (22, 150, 110))
            .WithDependency("net10.0", $"{prefix}.Json", "2.0.0"));
        await ReadSideHttp.PushAsync(host, Package($"{prefix}.Tool", "0.9.0", "Command-line helper for Contoso projects.", "cli tool", (230, 140, 20))
            .WithMetadataXml("<packageTypes><packageType name=\"DotnetTool\" /></packageTypes>"));
        await SearchIndexWait.CaughtUpAsync(host, $"{prefix}.Core", $"{prefix}.Json", $"{prefix}.Http", $"{prefix}.Tool");
    }

    private static TestPackage Package(string id, string version, string description, string tags, (byte R, byte G, byte B) color) =>
        TestPackage.Create(id, version)
            .WithAuthors("Contoso")
            .WithDescription(description)
            .WithMetadata("tags", tags)
            .WithMetadata("projectUrl", "https://contoso.example/" + id.ToLowerInvariant())
            .WithMetadataXml("<license type=\"expression\">MIT</license>")
            .WithMetadataXml("<repository type=\"git\" url=\"https://github.com/contoso/libraries.git\" />")
            .WithMetadata("icon", "icon.png").WithFile("icon.png", TestImages.Logo(64, color.R, color.G, color.B))
            .WithFile("lib/net10.0/" + id + ".dll", new byte[4096]);
}

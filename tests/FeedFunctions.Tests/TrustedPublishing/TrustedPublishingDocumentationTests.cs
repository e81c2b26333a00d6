using System.Net;
using System.Text.RegularExpressions;
using FeedAdmin;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace FeedFunctions.Tests.TrustedPublishing;

/// <summary>
/// The README's trusted publishing set-up works as written: its GitHub policy command, run against a feed (with the
/// local issuer in place of GitHub's), accepts the token a tag push of its workflow gets; its workflow needs no secret
/// and is the one in docs/ci.
/// </summary>
public sealed partial class TrustedPublishingDocumentationTests(OidcIssuerFixture fixture) : IClassFixture<OidcIssuerFixture>
{
    private static readonly string Readme = File.ReadAllText(RepositoryPaths.InRoot("README.md"));

    /// <summary>The README's trusted publishing section: from its heading to the next one of the same level, or the end.</summary>
    private static string Section()
    {
        var start = Readme.IndexOf("## Trusted publishing", StringComparison.Ordinal);
        var end = Readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return Readme[start..(end < 0 ? Readme.Length : end)];
    }

    private static string ReadmeWorkflow()
    {
        var section = Section();
        var start = section.IndexOf("```yaml\n", section.IndexOf("### GitHub Actions workflow", StringComparison.Ordinal), StringComparison.Ordinal) + "```yaml\n".Length;
        return section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
    }

    /// <summary>The first <c>policies add</c> of the README, continuation lines joined, split as a shell would (double quotes).</summary>
    private static List<string> ReadmeGitHubPolicyArguments()
    {
        var section = Section();
        var start = section.IndexOf("-- policies add", StringComparison.Ordinal) + "-- ".Length;
        var end = section.IndexOf("\n\n", start, StringComparison.Ordinal);
        var command = section[start..end].Replace("\\\n", " ", StringComparison.Ordinal);
        return ShellWord().Matches(command).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Value).ToList();
    }

    [Fact]
    public void The_readme_workflow_needs_no_secret_requests_the_token_for_the_policy_audience_and_matches_docs_ci()
    {
        var workflow = ReadmeWorkflow();
        var file = string.Join('\n', File.ReadAllLines(RepositoryPaths.InRoot("docs", "ci", "github-actions-trusted.yml")).SkipWhile(l => l.StartsWith('#'))) + "\n";

        Assert.Equal(file, workflow);
        Assert.Contains("id-token: write", workflow);
        Assert.Contains("$ACTIONS_ID_TOKEN_REQUEST_URL", workflow);
        Assert.Contains("Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN", workflow);
        Assert.Contains("--data-urlencode \"audience=$FEED_AUDIENCE\"", workflow);
        Assert.Contains("--api-key \"$TOKEN\"", workflow);
        Assert.DoesNotContain("secrets.", workflow);
        Assert.Contains("environment: release", workflow);
        Assert.Contains("tags: ['v*']", workflow);
    }

    [Fact]
    public void The_readme_nuget_login_variant_uses_the_actions_inputs_and_output_and_is_the_docs_ci_workflow()
    {
        var section = Section();
        var start = section.IndexOf("```yaml\n", section.IndexOf("NuGet/login@v1", StringComparison.Ordinal), StringComparison.Ordinal) + "```yaml\n".Length;
        var steps = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        var file = File.ReadAllText(RepositoryPaths.InRoot("docs", "ci", "github-actions-trusted-nuget-login.yml"));

        Assert.EndsWith(steps, file, StringComparison.Ordinal);
        Assert.Contains("uses: NuGet/login@v1", steps);
        Assert.Contains("token-service-url: ${{ vars.NUGET_FEED_TOKEN_URL }}", steps);
        Assert.Contains("audience: ${{ vars.NUGET_FEED_AUDIENCE }}", steps);
        Assert.Contains("user: ${{ vars.NUGET_FEED_USER }}", steps);
        Assert.Contains("${{ steps.login.outputs.NUGET_API_KEY }}", steps);
        Assert.Contains("id-token: write", file);
        Assert.DoesNotContain("secrets.", file);
        Assert.Equal(ReadmeWorkflow()[..ReadmeWorkflow().IndexOf("      - name: Push with", StringComparison.Ordinal)],
            file[file.IndexOf("name: publish-packages", StringComparison.Ordinal)..file.IndexOf("      - name: Exchange", StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task The_readme_github_policy_accepts_a_tag_push_of_the_readme_workflow_and_nothing_else()
    {
        var issuer = fixture.Issuer;
        await using var host = await TrustedFeed.StartAsync();
        var arguments = ReadmeGitHubPolicyArguments();
        var audience = arguments[arguments.IndexOf("--audience") + 1];
        Assert.Equal("https://token.actions.githubusercontent.com", arguments[arguments.IndexOf("--issuer") + 1]);
        arguments[arguments.IndexOf("--issuer") + 1] = issuer.Issuer;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = host.Azurite.ConnectionString,
            ["Feed:Storage:NamePrefix"] = host.NamePrefix,
        }).Build();
        var output = new StringWriter();

        var added = await AdminCommand.RunAsync([.. arguments], output, configuration);
        using var tagPush = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Lib", "1.2.0").ToBytes(),
            issuer.CreateToken(audience, TestOidcIssuer.GitHubClaims("contoso/lib", "refs/tags/v1.2.0", "release")));
        using var branchPush = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Lib", "1.3.0").ToBytes(),
            issuer.CreateToken(audience, TestOidcIssuer.GitHubClaims("contoso/lib", "refs/heads/main", "release")));
        using var otherEnvironment = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Lib", "1.4.0").ToBytes(),
            issuer.CreateToken(audience, TestOidcIssuer.GitHubClaims("contoso/lib", "refs/tags/v1.4.0", "staging")));

        Assert.True(added == 0, output.ToString());
        Assert.Equal(HttpStatusCode.Created, tagPush.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, branchPush.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherEnvironment.StatusCode);
        Assert.Single(await FeedHttp.AllRowsAsync(host), r => !r.RowKey.StartsWith('~'));
    }

    [GeneratedRegex("\"([^\"]*)\"|[^\\s\"]+")]
    private static partial Regex ShellWord();
}

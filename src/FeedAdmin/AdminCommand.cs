using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace FeedAdmin;

/// <summary><c>FeedAdmin keys ...</c> and <c>FeedAdmin policies ...</c> against the storage named by the app's settings.</summary>
public static class AdminCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, IConfiguration? configuration = null)
    {
        configuration ??= new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var root = new RootCommand("Administers a serverless NuGet feed (its storage, from AzureWebJobsStorage).")
        {
            KeysCommand.Create(configuration, output),
            PoliciesCommand.Create(configuration, output),
            AdvisoriesCommand.Create(configuration, output),
            SearchCommand.Create(configuration, output),
            RetentionCommand.Create(configuration, output),
        };
        foreach (var command in DeprecateCommand.Create(configuration, output))
        {
            root.Add(command);
        }

        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output });
    }
}

using System.CommandLine;
using FeedFunctions.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeedAdmin;

/// <summary>
/// <c>FeedAdmin search rebuild [--restart]</c>: (re)builds the search index from the Packages table, id by id, with
/// the app's own code, while the feed keeps serving and taking pushes. Idempotent; an interrupted run is resumed
/// where it stopped (the index's progress marker), unless <c>--restart</c>. A run the app itself holds (the build at
/// start-up) is left alone: the command says until when, and can be run again after.
/// </summary>
public static class SearchCommand
{
    public static Command Create(IConfiguration configuration, TextWriter output)
    {
        var restart = new Option<bool>("--restart") { Description = "Start from the first id even when an earlier run stopped half-way." };
        var rebuild = new Command("rebuild", "Build the search index from the package rows (resumable; pushes go on meanwhile).") { restart };
        rebuild.SetAction(async (result, ct) =>
        {
            var storage = (await AdminStorage.OpenAsync(configuration, ct)).Storage;
            await storage.SearchIndexTable.CreateIfNotExistsAsync(ct);
            var writer = new SearchIndexWriter(storage, NullLogger<SearchIndexWriter>.Instance);
            var builder = new SearchIndexBuilder(storage, writer, TimeProvider.System, NullLogger<SearchIndexBuilder>.Instance);
            var count = 0;
            var outcome = await builder.RunAsync(result.GetValue(restart), id =>
            {
                if (++count % 100 == 0)
                {
                    output.WriteLine($"{count} ids indexed (last: {id})");
                }
            }, ct);
            if (!outcome.Completed)
            {
                await output.WriteLineAsync($"Another build holds the index ({outcome.HeldBy}) until {outcome.HeldUntil:u}; run again after that to resume.");
                return 2;
            }

            await output.WriteLineAsync($"Search index complete: {outcome.IdsIndexed} id(s) indexed.");
            return 0;
        });

        return new Command("search", "Manage the search index.") { rebuild };
    }
}

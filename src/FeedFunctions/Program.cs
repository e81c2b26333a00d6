using FeedFunctions.Auth;
using FeedFunctions.Hosting;

if (args is ["keys", ..])
{
    return await KeysCommand.RunAsync(args, Console.Out);
}

var app = FeedApp.Build(args);
await app.RunAsync();
return 0;

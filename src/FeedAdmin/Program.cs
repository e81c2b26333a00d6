using FeedAdmin;

return await KeysCommand.RunAsync(args, Console.Out);

using FeedAdmin;

return await AdminCommand.RunAsync(args, Console.Out);

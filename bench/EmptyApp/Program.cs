// Same builder as the feed (CreateSlimBuilder), so the difference in cold start is the feed's own start-up work.
var app = WebApplication.CreateSlimBuilder(args).Build();
app.MapGet("/", () => "ok");
app.Run();

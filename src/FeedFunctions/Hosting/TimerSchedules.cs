using System.Globalization;
using System.Text.Json.Nodes;
using NCrontab;

namespace FeedFunctions.Hosting;

/// <summary>
/// What the host's timer trigger accepts as a schedule: a CRON expression with seconds (six fields) or without
/// (five), or a TimeSpan (App Service plans only). Parsed with NCrontab, the parser the host's timer extension uses,
/// so the worker's verdict is the host's.
/// </summary>
public static class TimerSchedules
{
    public static bool IsTimerTrigger(JsonObject binding) =>
        string.Equals((string?)binding["type"], "timerTrigger", StringComparison.OrdinalIgnoreCase);

    public static bool IsValid(string schedule)
    {
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is 5 or 6)
        {
            return CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 }) is not null;
        }

        return TimeSpan.TryParse(schedule, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero;
    }
}

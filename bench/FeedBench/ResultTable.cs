using System.Globalization;
using System.Text;

namespace FeedBench;

/// <summary>One line of the result table: our number, the floor measured in the same run, and their ratio.</summary>
internal sealed record ResultRow(string Benchmark, string Case, string Ours, string Floor, string Ratio, string Goal);

internal sealed class ResultTable
{
    private readonly List<ResultRow> _rows = [];

    public void Add(ResultRow row)
    {
        lock (_rows)
        {
            _rows.Add(row);
        }

        Console.Error.WriteLine($"  {row.Benchmark} {row.Case}: {row.Ours} vs {row.Floor} -> {row.Ratio} {row.Goal}");
    }

    public string ToMarkdown()
    {
        var header = new ResultRow("Benchmark", "Case", "Feed", "Floor", "Ratio", "Goal");
        var all = new[] { header }.Concat(_rows).ToList();
        var widths = new int[6];
        foreach (var row in all)
        {
            var cells = Cells(row);
            for (var i = 0; i < cells.Length; i++)
            {
                widths[i] = Math.Max(widths[i], cells[i].Length);
            }
        }

        var text = new StringBuilder();
        Line(text, Cells(header), widths);
        text.Append('|');
        foreach (var width in widths)
        {
            text.Append(new string('-', width + 2)).Append('|');
        }

        text.AppendLine();
        foreach (var row in _rows)
        {
            Line(text, Cells(row), widths);
        }

        return text.ToString();
    }

    public static string Ms(double milliseconds) => milliseconds switch
    {
        double.NaN => "n/a",
        < 10 => milliseconds.ToString("F2", CultureInfo.InvariantCulture) + " ms",
        < 1000 => milliseconds.ToString("F1", CultureInfo.InvariantCulture) + " ms",
        _ => (milliseconds / 1000).ToString("F2", CultureInfo.InvariantCulture) + " s",
    };

    public static string Ratio(double ours, double floor) =>
        double.IsNaN(ours) || double.IsNaN(floor) || floor <= 0 ? "n/a" : (ours / floor).ToString("F2", CultureInfo.InvariantCulture) + "x";

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " MB";

    private static string[] Cells(ResultRow row) => [row.Benchmark, row.Case, row.Ours, row.Floor, row.Ratio, row.Goal];

    private static void Line(StringBuilder text, string[] cells, int[] widths)
    {
        text.Append('|');
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(' ').Append(cells[i].PadRight(widths[i])).Append(" |");
        }

        text.AppendLine();
    }
}

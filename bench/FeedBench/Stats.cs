namespace FeedBench;

/// <summary>Order statistics of a set of samples (nearest-rank percentiles: no interpolation on tiny sets).</summary>
internal static class Stats
{
    public static double Median(IReadOnlyCollection<double> samples) => Percentile(samples, 50);

    public static double P95(IReadOnlyCollection<double> samples) => Percentile(samples, 95);

    public static double Percentile(IReadOnlyCollection<double> samples, double percent)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

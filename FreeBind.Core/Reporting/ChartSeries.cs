namespace FreeBind.Reporting;

/// <summary>One line of a <see cref="LineChart"/>.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Points">Points in drawing order; non-finite values are skipped.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

namespace FreeBind.Reporting;

/// <summary>A table of a report.</summary>
/// <param name="Title">Heading above the table.</param>
/// <param name="Headers">Column headers.</param>
/// <param name="Rows">Cells, one list per row, as already formatted text.</param>
public sealed record ReportTable(string Title, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

using DuckDB.NET.Data;

namespace FreeBind.Tests.Infrastructure;

/// <summary>Queries Parquet files with DuckDB, an independent Parquet reader.</summary>
public static class DuckDb
{
    /// <summary>Runs a query and returns every row as an array of column values.</summary>
    public static List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Runs a query that returns one value.</summary>
    public static T Scalar<T>(string sql) => (T)Convert.ChangeType(Query(sql)[0][0]!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
}

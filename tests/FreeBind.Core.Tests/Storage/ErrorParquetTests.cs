using DuckDB.NET.Data;
using FreeBind.Storage;

namespace FreeBind.Tests.Storage;

public sealed class ErrorParquetTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("freebind-errors-").FullName;
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));

    public void Dispose()
    {
        timeout.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task RoundTrip_ThroughOwnReaderAndDuckDb()
    {
        var rows = Enumerable.Range(0, 250)
            .Select(i => new ErrorRow($"id-{i}", $"audio/{i}.wav", i % 2 == 0 ? "decode" : "encode", $"WAV header of 'audio/{i}.wav' is truncated; re-encode it"))
            .ToList();
        var store = new LocalBlobStore(folder);

        await store.WriteAsync("errors.parquet", (s, ct) => ErrorParquetWriter.WriteAsync(s, rows, ct), timeout.Token);

        await using (var input = await store.OpenReadAsync("errors.parquet", timeout.Token))
        {
            Assert.Equal(rows, await ErrorParquetReader.ReadAsync(input, timeout.Token).ToListAsync(timeout.Token));
        }

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, source, stage, message FROM read_parquet('{Path.Combine(folder, "errors.parquet")}')";
        using var reader = command.ExecuteReader();
        var read = new List<ErrorRow>();
        while (reader.Read())
        {
            read.Add(new ErrorRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        Assert.Equal(rows, read);
    }

    [Fact]
    public async Task EmptyFile_ReadsAsNoRows()
    {
        using var stream = new MemoryStream();

        await ErrorParquetWriter.WriteAsync(stream, [], timeout.Token);
        stream.Position = 0;

        Assert.Empty(await ErrorParquetReader.ReadAsync(stream, timeout.Token).ToListAsync(timeout.Token));
    }
}

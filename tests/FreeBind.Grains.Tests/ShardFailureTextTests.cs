using System.Net.Http;

using FreeBind.Jobs;

namespace FreeBind.Tests;

public sealed class ShardFailureTextTests
{
    [Fact]
    public void AggregateOfTries_NamesLastErrorAndCount()
    {
        var refused = new HttpRequestException("Connection refused (127.0.0.1:10000)");
        var exception = new AggregateException("Retry failed after 4 tries.", refused, refused, refused, refused);

        var text = ShardFailureText.Describe(exception);

        Assert.Equal("HttpRequestException: Connection refused (127.0.0.1:10000) (4 tries)", text);
    }

    [Fact]
    public void MultiLineMessage_KeepsFirstLine()
    {
        var exception = new IOException("The file '/out/shards' already exists.\n   at System.IO.Directory.CreateDirectory");

        var text = ShardFailureText.Describe(exception);

        Assert.Equal("IOException: The file '/out/shards' already exists.", text);
    }
}

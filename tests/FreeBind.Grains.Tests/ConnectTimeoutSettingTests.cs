using FreeBind.Client;

using Microsoft.Extensions.Configuration;

namespace FreeBind.Tests;

public sealed class ConnectTimeoutSettingTests
{
    [Theory]
    [InlineData(null, 120)]
    [InlineData("30", 30)]
    [InlineData("0.5", 0.5)]
    [InlineData("00:00:10", 10)]
    [InlineData("0", 0)]
    public void Reads_seconds_or_time_span(string? value, double expectedSeconds)
    {
        var timeout = ConnectionRetryFilter.ReadConnectTimeout(Configuration(value));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), timeout);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("-00:00:05")]
    public void Invalid_value_names_key(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => ConnectionRetryFilter.ReadConnectTimeout(Configuration(value)));

        Assert.Contains($"FreeBind:Client:ConnectTimeout '{value}' is invalid", error.Message);
    }

    private static IConfiguration Configuration(string? value) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [ConnectionRetryFilter.ConnectTimeoutKey] = value })
        .Build();
}

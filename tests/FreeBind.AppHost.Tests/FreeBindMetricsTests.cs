using System.Diagnostics.Metrics;

using FreeBind.Diagnostics;

namespace FreeBind.AppHost.Tests;

public sealed class FreeBindMetricsTests
{
    [Fact]
    public void EmbeddedCounterCarriesEncoderAndProvider()
    {
        var measurements = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FreeBindMetrics.MeterName && instrument.Name == "freebind.items.embedded")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (measurements)
            {
                measurements.Add((value, copy));
            }
        });
        listener.Start();

        FreeBindMetrics.RecordEmbedded("metrics-test/image", "CPU", 7);
        FreeBindMetrics.RecordEmbedded("metrics-test/image", "CPU", 0);

        // Other tests in this process may record too, so only this test's encoder label counts.
        var mine = measurements.Where(m => Equals(m.Tags.GetValueOrDefault("encoder"), "metrics-test/image")).ToList();
        var single = Assert.Single(mine);
        Assert.Equal(7, single.Value);
        Assert.Equal("CPU", single.Tags["provider"]);
    }

    [Fact]
    public void QueueDepthGaugeReturnsToStart()
    {
        var before = FreeBindMetrics.CurrentQueueDepth;

        FreeBindMetrics.ChangeQueueDepth(3);
        var during = FreeBindMetrics.CurrentQueueDepth;
        FreeBindMetrics.ChangeQueueDepth(-3);

        Assert.Equal(before + 3, during);
        Assert.Equal(before, FreeBindMetrics.CurrentQueueDepth);
    }
}

using FreeBind.Encoders;

namespace FreeBind.Core.Tests.Encoders;

public sealed class InferencePlanTests
{
    [Theory]
    // streams setting, threads setting, cores → streams, threads
    [InlineData(0, 0, 2, 2, 1)]
    [InlineData(0, 0, 1, 1, 1)]
    [InlineData(0, 0, 8, 4, 2)]
    [InlineData(0, 0, 16, 4, 4)]
    [InlineData(0, 0, 6, 4, 1)]
    [InlineData(0, 2, 8, 4, 2)]
    [InlineData(0, 16, 8, 1, 16)]
    [InlineData(3, 0, 8, 3, 2)]
    [InlineData(3, 0, 2, 3, 1)]
    [InlineData(2, 3, 16, 2, 3)]
    public void Cpu_plan_divides_the_cores(int streams, int threads, int cores, int expectedStreams, int expectedThreads)
    {
        var plan = InferencePlan.Choose(new EncoderOptions { InferenceStreams = streams, IntraOpThreads = threads }, cpu: true, cores);

        Assert.Equal(new InferencePlan(expectedStreams, expectedThreads), plan);
    }

    [Theory]
    [InlineData(0, 0, 1, 0)]
    [InlineData(2, 0, 2, 0)]
    [InlineData(0, 4, 1, 4)]
    public void Cuda_plan_runs_one_stream_unless_set(int streams, int threads, int expectedStreams, int expectedThreads)
    {
        var plan = InferencePlan.Choose(new EncoderOptions { InferenceStreams = streams, IntraOpThreads = threads }, cpu: false, cores: 16);

        Assert.Equal(new InferencePlan(expectedStreams, expectedThreads), plan);
    }
}

using FreeBind.Jobs;
using FreeBind.Spaces;

namespace FreeBind.Tests.Infrastructure;

/// <summary>Starts embedding jobs on a test cluster and waits for them with a deadline.</summary>
public static class JobRunner
{
    /// <summary>Builds a request for the sample spaces file.</summary>
    public static EmbeddingJobRequest Request(string input, string output, int shardSize = 4, string? spacesPath = null)
    {
        var spaces = SpacesFile.Load(spacesPath ?? RepositoryPaths.SampleSpaces);
        return new EmbeddingJobRequest
        {
            SpacesJson = spaces.Json,
            SpacesBaseDirectory = spaces.BaseDirectory,
            Input = input,
            Output = output,
            ShardSize = shardSize,
        };
    }

    /// <summary>
    /// Runs a job to its end and returns the final status; fails the test after <paramref name="timeout"/>.
    /// Without <paramref name="jobId"/> the job gets a new id.
    /// </summary>
    public static async Task<EmbeddingJobStatus> RunAsync(
        IGrainFactory grains, EmbeddingJobRequest request, TimeSpan? timeout = null, string? jobId = null)
    {
        var job = grains.GetGrain<IEmbeddingJobGrain>(jobId ?? $"test-{Guid.NewGuid():N}");
        await job.StartAsync(request);

        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            var status = await job.GetStatusAsync();
            if (status.State is EmbeddingJobState.Completed or EmbeddingJobState.Failed or EmbeddingJobState.Cancelled)
            {
                return status;
            }

            // Polling with a deadline: the job has no completion event a test client can await.
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }
}

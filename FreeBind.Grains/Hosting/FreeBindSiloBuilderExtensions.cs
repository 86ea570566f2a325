using FreeBind.Encoders;
using FreeBind.Jobs;
using FreeBind.Pipeline;
using FreeBind.Placement;
using FreeBind.Storage;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using Orleans.Configuration;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace FreeBind.Hosting;

/// <summary>Registers FreeBind's grains' services on a silo.</summary>
public static class FreeBindSiloBuilderExtensions
{
    /// <summary>
    /// Adds the encoder catalog, shard runner, storage access, GPU placement filter and silo
    /// metadata (from <c>Orleans:Metadata</c>), and binds <c>FreeBind:Encoders</c>,
    /// <c>FreeBind:Storage</c> and <c>FreeBind:Placement</c>. The caller configures clustering and the
    /// <see cref="FreeBindStorage.StateStorageName"/> grain storage.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configuration">Configuration holding the FreeBind and Orleans sections.</param>
    /// <param name="metadata">Silo metadata to publish instead of the <c>Orleans:Metadata</c> section, or null.</param>
    public static ISiloBuilder AddFreeBind(
        this ISiloBuilder builder, IConfiguration configuration, Dictionary<string, string>? metadata = null)
    {
        if (metadata is null)
        {
            builder.UseSiloMetadata(configuration.GetSection("Orleans:Metadata"));
        }
        else
        {
            builder.UseSiloMetadata(metadata);
        }

        builder.Services.AddPlacementFilter<GpuPlacementFilterStrategy, GpuPlacementFilterDirector>(ServiceLifetime.Singleton);
        builder.Services.AddOptions<GpuPlacementOptions>()
            .Bind(configuration.GetSection(GpuPlacementOptions.SectionName))
            .Validate(o => o.IsValidPolicy, "FreeBind:Placement:WhenNoGpuSilo must be 'wait' or 'fallback-cpu'.")
            .Validate(o => o.GpuWaitTimeout > TimeSpan.Zero, "FreeBind:Placement:GpuWaitTimeout must be positive, such as 00:10:00.")
            .ValidateOnStart();
        builder.Services.AddSingleton<GpuSiloMonitor>();

        builder.Services.AddOptions<EncoderOptions>()
            .Bind(configuration.GetSection(EncoderOptions.SectionName))
            .Validate(o => o.DeviceId >= 0, "FreeBind:Encoders:DeviceId must be 0 or more.")
            .Validate(o => o.IntraOpThreads >= 0, "FreeBind:Encoders:IntraOpThreads must be 0 (automatic) or more.")
            .Validate(o => o.InferenceStreams >= 0, "FreeBind:Encoders:InferenceStreams must be 0 (automatic) or more.")
            .Validate(o => o.MaxConcurrentShards >= 1, "FreeBind:Encoders:MaxConcurrentShards must be 1 or more.")
            .Validate(o => o.PreprocessParallelism >= 0, "FreeBind:Encoders:PreprocessParallelism must be 0 (one per core) or more.")
            .ValidateOnStart();
        builder.Services.AddOptions<BlobStoreOptions>()
            .Bind(configuration.GetSection("FreeBind:Storage"))
            .Validate(
                o => o.NetworkTimeout > TimeSpan.Zero && o.NetworkTimeout <= TimeSpan.FromMinutes(10),
                "FreeBind:Storage:NetworkTimeout must be positive and at most 00:10:00, such as 00:00:30.")
            .Validate(o => o.MaxRetries is >= 0 and <= 10, "FreeBind:Storage:MaxRetries must be 0 to 10.")
            .ValidateOnStart();

        builder.Services.AddSingleton(sp =>
            new ModelResolver(sp.GetRequiredService<IOptions<EncoderOptions>>().Value.BuiltinModelDirectory));
        builder.Services.AddSingleton<EncoderCatalog>();
        builder.Services.AddSingleton<ShardEmbedder>();
        builder.Services.AddSingleton<JobStorage>();
        builder.Services.AddSingleton<ShardRunner>();
        builder.Services.AddSingleton<ShardFuser>();
        builder.Services.AddSingleton<FusionCompiler>();
        builder.Services.AddSingleton<FusionService>();
        builder.Services.AddSingleton<FreeBind.Training.TrainingDatasetCache>();

        // Shards of a few thousand items take minutes; the default 30 s response timeout would
        // cancel healthy shard calls.
        // A cancelled grain call returns only once the callee has stopped (Orleans 10 otherwise
        // returns at once and lets the callee run on). A job cancelled while a shard writes its
        // marker then gets that shard's counts back and includes them in its summary.
        builder.Configure<SiloMessagingOptions>(options =>
        {
            options.ResponseTimeout = TimeSpan.FromMinutes(30);
            options.WaitForCancellationAcknowledgement = true;
        });
        return builder;
    }
}

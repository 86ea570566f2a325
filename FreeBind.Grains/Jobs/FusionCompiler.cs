using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using FreeBind.Bonds;
using FreeBind.Bonds.Checkpoints;
using FreeBind.Bonds.Graph;
using FreeBind.Bonds.Runtime;
using FreeBind.Encoders;
using FreeBind.Media;
using FreeBind.Pipeline;

using Microsoft.Extensions.Options;

namespace FreeBind.Jobs;

/// <summary>Turns a fuse request into compiled plans with ONNX runners on this silo's provider.</summary>
public sealed class FusionCompiler(IOptions<EncoderOptions> options)
{
    /// <summary>Profile name written to rows when the request names none.</summary>
    public const string DefaultProfile = "default";

    /// <summary>A key that identifies the fusion a request describes.</summary>
    public static string RequestKey(FuseJobRequest request) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request))));

    /// <summary>Loads the bond file and projectors, compiles every fused modality and builds its runner.</summary>
    public CompiledFusion Compile(FuseJobRequest request)
    {
        var file = BondFile.Parse(request.BondsJson, request.BondsBaseDirectory, ProjectorSetFiles.Load);
        var overrides = ParseOverrides(request);
        var requested = request.Modalities.Select(ModalityNames.Parse).ToHashSet();
        var profile = request.Profile ?? DefaultProfile;

        var resources = new List<IDisposable>();
        var modalities = new List<FusionModality>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(request.BondsJson));
        try
        {
            foreach (var modality in BondCompiler.FusedModalities(file))
            {
                if (requested.Count > 0 && !requested.Contains(modality))
                {
                    continue;
                }

                var plan = BondCompiler.Compile(file, modality, request.Profile, overrides);
                var factorsJson = JsonSerializer.Serialize(BondCompiler.EffectiveFactors(plan));
                AppendPlan(hash, plan, factorsJson);

                var runner = FusionRunner.Create(
                    plan,
                    new FusionGraphOptions(),
                    new FusionRunnerOptions
                    {
                        Provider = options.Value.Provider,
                        DeviceId = options.Value.DeviceId,
                        IntraOpThreads = options.Value.IntraOpThreads,
                    });
                resources.Add(runner);
                modalities.Add(new FusionModality(plan, factorsJson, (inputs, batch) => runner.Run(inputs, batch)));
            }
        }
        catch
        {
            foreach (var resource in resources)
            {
                resource.Dispose();
            }

            throw;
        }

        var target = new FusionTarget(file.Name, profile, Convert.ToHexStringLower(hash.GetHashAndReset()), modalities);
        return new CompiledFusion(target, resources);
    }

    /// <summary>Converts a request's factor overrides (bond → modality name → factor) to the compiler's form.</summary>
    /// <exception cref="FormatException">A modality name is not image, text or audio.</exception>
    public static Dictionary<string, IReadOnlyDictionary<Modality, float>> ParseOverrides(FuseJobRequest request) =>
        request.Overrides.ToDictionary(
            bond => bond.Key,
            bond => (IReadOnlyDictionary<Modality, float>)bond.Value.ToDictionary(f => ModalityNames.Parse(f.Key), f => f.Value));

    private static void AppendPlan(IncrementalHash hash, FusionPlan plan, string factorsJson)
    {
        hash.AppendData(Encoding.UTF8.GetBytes($"{plan.Modality}|{factorsJson}"));
        foreach (var member in plan.Steps.SelectMany(step => step.Members))
        {
            var weights = member.Weights;
            foreach (var array in new[] { weights.Weight1, weights.Bias1, weights.Weight2, weights.Bias2,
                weights.Norm1Scale, weights.Norm1Shift, weights.Norm1RunningMean, weights.Norm1RunningVariance,
                weights.Norm2Scale, weights.Norm2Shift, weights.Norm2RunningMean, weights.Norm2RunningVariance })
            {
                if (array is not null)
                {
                    hash.AppendData(MemoryMarshal.AsBytes(array.AsSpan()));
                }
            }
        }
    }
}

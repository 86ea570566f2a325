using FreeBind.Bonds;
using FreeBind.Bonds.Graph;
using FreeBind.Bonds.Runtime;
using FreeBind.Media;
using FreeBind.Storage;

namespace FreeBind.Evaluation.Search;

/// <summary>
/// Evaluates tasks on the fused space at any factor vector: it loads the base and expert
/// embeddings once, builds one <see cref="FusionRunner"/> per modality with factor inputs, and per
/// point fuses in memory and runs <see cref="TaskEvaluator"/>.
/// </summary>
/// <remarks>
/// Only items that every input space of a modality embeds are fused and evaluated. Memory contains
/// every input embedding of the needed modalities plus one fused copy per point being evaluated.
/// <see cref="Evaluate"/> is thread-safe, so points can run in parallel.
/// NOTE: no test runs this class or the sweep command end to end yet; only the search
/// (<see cref="FactorSearch"/>) and the metrics are tested.
/// </remarks>
public sealed class FusedEvaluator : IDisposable
{
    private const int BatchSize = 4096;

    private readonly Dictionary<Modality, (FusionRunner Runner, IReadOnlyList<string> Ids, float[][] Inputs)> _modalities;
    private readonly IReadOnlyList<EvaluationTask> _tasks;
    private readonly EvaluationLabels _labels;
    private readonly string _space;

    private FusedEvaluator(
        Dictionary<Modality, (FusionRunner, IReadOnlyList<string>, float[][])> modalities,
        IReadOnlyList<SweepAxis> axes,
        IReadOnlyList<double> defaults,
        IReadOnlyList<EvaluationTask> tasks,
        EvaluationLabels labels,
        string space)
    {
        _modalities = modalities;
        Axes = axes;
        Defaults = defaults;
        _tasks = tasks;
        _labels = labels;
        _space = space;
    }

    /// <summary>Factors searched, in vector order: every overridable (bond, modality) of the tasks' modalities.</summary>
    public IReadOnlyList<SweepAxis> Axes { get; }

    /// <summary>The factors the bond file (with the chosen profile) gives each axis.</summary>
    public IReadOnlyList<double> Defaults { get; }

    /// <summary>Loads embeddings and builds runners.</summary>
    /// <param name="file">The bond file.</param>
    /// <param name="profile">Profile whose factors are the defaults and the search's start, or null.</param>
    /// <param name="embeddings">Store with <c>embeddings/&lt;space&gt;/&lt;modality&gt;/</c> for the base and every expert.</param>
    /// <param name="tasks">Tasks to evaluate at each point.</param>
    /// <param name="labels">Labels manifest.</param>
    /// <param name="runnerOptions">ONNX Runtime provider settings.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <exception cref="InvalidDataException">An input space has no embeddings for a needed modality.</exception>
    public static async Task<FusedEvaluator> CreateAsync(
        BondFile file,
        string? profile,
        IBlobStore embeddings,
        IReadOnlyList<EvaluationTask> tasks,
        EvaluationLabels labels,
        FusionRunnerOptions runnerOptions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(tasks);
        var needed = tasks.SelectMany(t => new[] { t.First, t.Second }).Distinct().Order().ToList();
        var modalities = new Dictionary<Modality, (FusionRunner, IReadOnlyList<string>, float[][])>();
        var axes = new List<SweepAxis>();
        var defaults = new List<double>();
        try
        {
            foreach (var modality in needed)
            {
                var plan = BondCompiler.Compile(file, modality, profile);
                foreach (var step in plan.Steps.Where(s => !s.FactorFixed))
                {
                    axes.Add(new SweepAxis(step.Bond, modality));
                    defaults.Add(Math.Round(step.Factor, 6));
                }

                var (ids, inputs) = await LoadInputsAsync(embeddings, plan, cancellationToken).ConfigureAwait(false);
                var runner = FusionRunner.Create(plan, new FusionGraphOptions(), runnerOptions);
                modalities[modality] = (runner, ids, inputs);
            }
        }
        catch
        {
            foreach (var (runner, _, _) in modalities.Values)
            {
                runner.Dispose();
            }

            throw;
        }

        return new FusedEvaluator(modalities, axes, defaults, tasks, labels, file.Name);
    }

    /// <summary>Lists the searched axes (every overridable bond factor of the tasks' modalities) and their factors under <paramref name="profile"/>.</summary>
    public static (IReadOnlyList<SweepAxis> Axes, IReadOnlyList<double> Defaults) AxesOf(
        BondFile file, string? profile, IReadOnlyList<EvaluationTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var axes = new List<SweepAxis>();
        var defaults = new List<double>();
        foreach (var modality in tasks.SelectMany(t => new[] { t.First, t.Second }).Distinct().Order())
        {
            foreach (var step in BondCompiler.Compile(file, modality, profile).Steps.Where(s => !s.FactorFixed))
            {
                axes.Add(new SweepAxis(step.Bond, modality));
                defaults.Add(Math.Round(step.Factor, 6));
            }
        }

        return (axes, defaults);
    }

    /// <summary>Fuses at <paramref name="factors"/> (one per <see cref="Axes"/> entry) and evaluates every task.</summary>
    /// <exception cref="ArgumentException">The vector has the wrong length or a value outside [0, 1].</exception>
    public IReadOnlyList<EvaluationResult> Evaluate(IReadOnlyList<double> factors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factors);
        if (factors.Count != Axes.Count)
        {
            throw new ArgumentException(
                $"{factors.Count} factors given for {Axes.Count} axes ({string.Join(", ", Axes)}).", nameof(factors));
        }

        var fused = new Dictionary<Modality, EmbeddingMatrix>();
        foreach (var (modality, (runner, ids, inputs)) in _modalities)
        {
            var overrides = new Dictionary<string, float>(StringComparer.Ordinal);
            for (var i = 0; i < Axes.Count; i++)
            {
                if (Axes[i].Modality == modality)
                {
                    overrides[Axes[i].Bond] = (float)factors[i];
                }
            }

            fused[modality] = Fuse(runner, ids, inputs, overrides);
        }

        return _tasks.Select(task => TaskEvaluator.Evaluate(task, _space, fused, _labels, 1, cancellationToken)).ToList();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (runner, _, _) in _modalities.Values)
        {
            runner.Dispose();
        }
    }

    private static EmbeddingMatrix Fuse(FusionRunner runner, IReadOnlyList<string> ids, float[][] inputs, Dictionary<string, float> overrides)
    {
        var output = new float[ids.Count * runner.OutputDimension];
        for (var start = 0; start < ids.Count; start += BatchSize)
        {
            var batch = Math.Min(BatchSize, ids.Count - start);
            var slices = inputs.Select((input, i) =>
                input.AsSpan(start * runner.InputDimensions[i], batch * runner.InputDimensions[i]).ToArray()).ToList();
            var fused = runner.Run(slices, batch, overrides);
            fused.CopyTo(output, start * runner.OutputDimension);
        }

        return new EmbeddingMatrix(ids, runner.OutputDimension, output);
    }

    // Items every input space embeds, in the base space's order, and each input's rows in that order.
    private static async Task<(IReadOnlyList<string> Ids, float[][] Inputs)> LoadInputsAsync(
        IBlobStore store, FusionPlan plan, CancellationToken cancellationToken)
    {
        var matrices = new List<EmbeddingMatrix>();
        for (var i = 0; i < plan.Inputs.Count; i++)
        {
            var matrix = await EmbeddingMatrixReader.ReadAsync(store, plan.Inputs[i], plan.Modality, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException(
                    $"no {plan.Modality.ToName()} embeddings of space '{plan.Inputs[i]}' under {store.DisplayRoot}: " +
                    "embed that space first (freebind embed).");
            if (matrix.Dimension != plan.InputDimensions[i])
            {
                throw new InvalidDataException(
                    $"space '{plan.Inputs[i]}' has dimension {matrix.Dimension} but the bond file declares {plan.InputDimensions[i]}.");
            }

            matrices.Add(matrix);
        }

        var ids = matrices[0].Ids.Where(id => matrices.All(m => m.RowIndex.ContainsKey(id))).ToList();
        var inputs = matrices.Select(m =>
        {
            var values = new float[ids.Count * m.Dimension];
            for (var r = 0; r < ids.Count; r++)
            {
                m.Row(m.RowIndex[ids[r]]).CopyTo(values.AsSpan(r * m.Dimension, m.Dimension));
            }

            return values;
        }).ToArray();
        return (ids, inputs);
    }
}

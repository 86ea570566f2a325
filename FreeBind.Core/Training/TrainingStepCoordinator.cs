namespace FreeBind.Training;

/// <summary>
/// Runs one exact training step of a projector over shards that each hold a contiguous slice of
/// the global batch. It merges small per-phase summaries, so the result does not depend on how many
/// shards there are, up to float rounding.
/// </summary>
/// <remarks>
/// Phases, each run on every shard concurrently and merged in shard order: A first-layer moments →
/// batch statistics; B second-layer moments → statistics; C normalised targets → the global target
/// matrix; D logit rows → exact column log-sum-exp and the loss; E loss backward → output BatchNorm
/// sums; F output layer backward → hidden BatchNorm sums; G hidden layer backward → Linear
/// gradients. The coordinator then adds the shards' gradients, clips, applies AdamW and updates the
/// BatchNorm running statistics. A global batch needs at least 2 rows, as PyTorch's BatchNorm does in
/// training mode. One coordinator runs one step at a time.
/// </remarks>
public sealed class TrainingStepCoordinator
{
    private readonly ITrainingShard[] _shards;
    private readonly TrainingOptions _options;
    private float[] _targets = [];
    private ProjectorGradients? _gradients;

    /// <summary>Creates a coordinator over <paramref name="shards"/>, whose order fixes the order of the global batch.</summary>
    /// <exception cref="ArgumentException">There is no shard or an option is invalid.</exception>
    public TrainingStepCoordinator(IReadOnlyList<ITrainingShard> shards, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(options);
        if (shards.Count == 0)
        {
            throw new ArgumentException("a training step needs at least one shard", nameof(shards));
        }

        options.Validate();
        _shards = [.. shards];
        _options = options;
    }

    /// <summary>Training options of every step.</summary>
    public TrainingOptions Options => _options;

    /// <summary>
    /// Runs one step: forward, backward, clipping, AdamW and the BatchNorm running statistics, all
    /// applied to <paramref name="state"/> in place.
    /// </summary>
    /// <exception cref="ArgumentException">The global batch has fewer than 2 rows, or a shard's data does not fit the projector.</exception>
    public async Task<TrainingStepResult> StepAsync(ProjectorTrainingState state, CancellationToken cancellationToken)
    {
        GradientComputation computation = await ComputeGradientsAsync(state, cancellationToken).ConfigureAwait(false);
        ProjectorGradients gradients = computation.Gradients;

        double norm = gradients.GlobalNorm();
        if (_options.ClipNorm > 0)
        {
            // clip_grad_norm_ scales by max_norm / (norm + 1e-6) when that is below 1.
            double coefficient = _options.ClipNorm / (norm + 1e-6);
            if (coefficient < 1)
            {
                gradients.Scale((float)coefficient);
            }
        }

        double learningRate = AdamWOptimizer.Step(state, gradients, _options);
        UpdateRunningStatistics(state, computation);
        return new TrainingStepResult(
            state.Optimizer.Step, computation.HiddenStatistics.Rows, computation.Loss, norm, learningRate);
    }

    /// <summary>Runs the forward and backward phases on every shard and returns the loss and the summed gradients.</summary>
    /// <exception cref="ArgumentException">The global batch has fewer than 2 rows, or a shard's data does not fit the projector.</exception>
    public async Task<GradientComputation> ComputeGradientsAsync(ProjectorTrainingState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var weights = state.Weights;
        var architecture = weights.Architecture;

        FeatureMoments[] hiddenMoments = await Task.WhenAll(
            _shards.Select(shard => shard.ForwardHiddenAsync(weights, cancellationToken))).ConfigureAwait(false);
        BatchStatistics hidden = FeatureMoments.Merge(hiddenMoments).ToStatistics();
        int batch = hidden.Rows;
        if (batch < 2)
        {
            throw new ArgumentException(
                $"the global batch has {batch} row; BatchNorm in training mode needs at least 2, so load more rows", nameof(state));
        }

        FeatureMoments[] outputMoments = await Task.WhenAll(
            _shards.Select(shard => shard.ForwardOutputAsync(hidden, cancellationToken))).ConfigureAwait(false);
        BatchStatistics output = FeatureMoments.Merge(outputMoments).ToStatistics();

        ShardTargets[] targets = await Task.WhenAll(
            _shards.Select(shard => shard.NormalizeAsync(output, cancellationToken))).ConfigureAwait(false);
        int outputDimension = architecture.OutputDimension;
        if (_targets.Length != batch * outputDimension)
        {
            _targets = new float[batch * outputDimension];
        }

        var offsets = new int[_shards.Length];
        int offset = 0;
        for (int s = 0; s < _shards.Length; s++)
        {
            offsets[s] = offset;
            Array.Copy(targets[s].Targets, 0, _targets, offset * outputDimension, targets[s].Rows * outputDimension);
            offset += targets[s].Rows;
        }

        float scale = state.Scale(_options);
        LogitSummary[] summaries = await Task.WhenAll(_shards.Select((shard, s) => shard.ComputeLogitsAsync(
            new LogitRequest(_targets, batch, offsets[s], scale, _options.MseWeight), cancellationToken))).ConfigureAwait(false);
        (double[] columnLogSumExp, TrainingLoss loss) = MergeLogits(summaries, batch, scale);

        GradientSums[] outputSums = await Task.WhenAll(
            _shards.Select(shard => shard.BackwardLossAsync(columnLogSumExp, cancellationToken))).ConfigureAwait(false);
        GradientSums outputTotal = GradientSums.Merge(outputSums);
        GradientSums[] hiddenSums = await Task.WhenAll(
            _shards.Select(shard => shard.BackwardOutputLayerAsync(outputTotal, cancellationToken))).ConfigureAwait(false);
        GradientSums hiddenTotal = GradientSums.Merge(hiddenSums);
        ShardParameterGradients[] parts = await Task.WhenAll(
            _shards.Select(shard => shard.BackwardHiddenLayerAsync(hiddenTotal, cancellationToken))).ConfigureAwait(false);

        ProjectorGradients gradients = SumGradients(architecture, parts, outputTotal, hiddenTotal, state);
        return new GradientComputation(loss, gradients, hidden, output);
    }

    private (double[] ColumnLogSumExp, TrainingLoss Loss) MergeLogits(LogitSummary[] summaries, int batch, float scale)
    {
        var logSumExp = new double[batch];
        for (int j = 0; j < batch; j++)
        {
            double max = double.NegativeInfinity;
            foreach (LogitSummary summary in summaries)
            {
                max = Math.Max(max, summary.ColumnMax[j]);
            }

            double sum = 0;
            foreach (LogitSummary summary in summaries)
            {
                sum += summary.ColumnSumExp[j] * Math.Exp(summary.ColumnMax[j] - max);
            }

            logSumExp[j] = max + Math.Log(sum);
        }

        double rowLoss = summaries.Sum(summary => summary.RowLossSum) / batch;
        double columnLoss = (logSumExp.Sum() - summaries.Sum(summary => summary.DiagonalSum)) / batch;
        double contrastive = (rowLoss + columnLoss) / 2;
        double squaredError = summaries.Sum(summary => summary.SquaredErrorSum) / batch;
        var loss = new TrainingLoss(contrastive + _options.MseWeight * squaredError, contrastive, squaredError, scale);
        return (logSumExp, loss);
    }

    private ProjectorGradients SumGradients(
        Bonds.ProjectorArchitecture architecture,
        ShardParameterGradients[] parts,
        GradientSums output,
        GradientSums hidden,
        ProjectorTrainingState state)
    {
        if (_gradients is null || _gradients.Architecture != architecture)
        {
            _gradients = new ProjectorGradients(architecture);
        }

        ProjectorGradients gradients = _gradients;
        Sum(gradients.Weight1, parts.Select(part => part.Weight1));
        Sum(gradients.Bias1, parts.Select(part => part.Bias1));
        Sum(gradients.Weight2, parts.Select(part => part.Weight2));
        Sum(gradients.Bias2, parts.Select(part => part.Bias2));
        if (architecture.BatchNorm)
        {
            // Σ dy·x̂ and Σ dy over the global batch are the BatchNorm scale and shift gradients.
            Copy(hidden.SumOfProducts, gradients.Norm1Scale!);
            Copy(hidden.Sum, gradients.Norm1Shift!);
            Copy(output.SumOfProducts, gradients.Norm2Scale!);
            Copy(output.Sum, gradients.Norm2Shift!);
        }

        // d loss / d log s = s · d loss / d s = Σ dS·S; zero while exp(log s) is clamped.
        bool clamped = Math.Exp(state.LogScale) > _options.MaximumScale;
        gradients.LogScale[0] = _options.LearnableTemperature && !clamped ? (float)output.LogitProductSum : 0f;
        return gradients;
    }

    private void UpdateRunningStatistics(ProjectorTrainingState state, GradientComputation computation)
    {
        var weights = state.Weights;
        state.BatchesTracked++;
        if (!weights.Architecture.BatchNorm)
        {
            return;
        }

        double momentum = _options.BatchNormMomentum;
        Update(weights.Norm1RunningMean!, weights.Norm1RunningVariance!, computation.HiddenStatistics, momentum);
        Update(weights.Norm2RunningMean!, weights.Norm2RunningVariance!, computation.OutputStatistics, momentum);
    }

    private static void Update(float[] runningMean, float[] runningVariance, BatchStatistics statistics, double momentum)
    {
        // PyTorch updates the running variance with the unbiased batch variance.
        double correction = statistics.Rows / (double)(statistics.Rows - 1);
        for (int k = 0; k < runningMean.Length; k++)
        {
            runningMean[k] = (float)((1 - momentum) * runningMean[k] + momentum * statistics.Mean[k]);
            runningVariance[k] = (float)((1 - momentum) * runningVariance[k] + momentum * statistics.Variance[k] * correction);
        }
    }

    private static void Sum(float[] destination, IEnumerable<float[]> parts)
    {
        Array.Clear(destination);
        foreach (float[] part in parts)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(destination, part.AsSpan(0, destination.Length), destination);
        }
    }

    private static void Copy(double[] source, float[] destination)
    {
        for (int k = 0; k < destination.Length; k++)
        {
            destination[k] = (float)source[k];
        }
    }
}

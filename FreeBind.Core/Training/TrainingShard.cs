using System.Numerics.Tensors;

using FreeBind.Bonds;

namespace FreeBind.Training;

/// <summary>
/// In-process training worker: holds a contiguous slice of the global batch and runs the phases of
/// <see cref="ITrainingShard"/> with ONNX Runtime matrix products and element-wise work in C#.
/// </summary>
/// <remarks>
/// Buffers are allocated when the row count, batch size or architecture changes and reused
/// otherwise. Arrays the phases return (targets, parameter gradients) are owned by the shard and
/// stay valid until its next step. The phases run synchronously and return completed tasks. One
/// shard runs one step at a time and is not thread-safe.
/// </remarks>
public sealed class TrainingShard : ITrainingShard, IDisposable
{
    private readonly MatrixMultiplier _multiplier;
    private float[] _source = [];
    private float[] _targetInput = [];
    private int _rows;
    private Phase _phase = Phase.Empty;

    private ProjectorWeights? _weights;
    private ProjectorArchitecture? _architecture;
    private int _batchSize;
    private int _rowOffset;
    private float _scale;
    private double _mseWeight;

    // Per-row activations, [rows, features]: a₁ normalised in place to x̂₁, y₁ = BN₁ output, h = act(y₁).
    private float[] _hiddenNormalized = [];
    private float[] _hiddenPreActivation = [];
    private float[] _hidden = [];
    private float[] _hiddenInverseStd = [];

    // a₂ normalised in place to x̂₂, y = BN₂ output, z = y / ‖y‖, t = normalised targets.
    private float[] _outputNormalized = [];
    private float[] _output = [];
    private float[] _embedding = [];
    private float[] _norms = [];
    private float[] _targets = [];
    private float[] _outputInverseStd = [];

    // [rows, B]: logits, then the row softmax overwritten by dL/dS.
    private float[] _logits = [];
    private float[] _logitGradient = [];
    private float[] _allTargets = [];

    private float[] _outputGradient = [];
    private float[] _hiddenGradient = [];
    private float[] _weight1Gradient = [];
    private float[] _bias1Gradient = [];
    private float[] _weight2Gradient = [];
    private float[] _bias2Gradient = [];

    /// <summary>Creates a shard whose matrix products run on the provider in <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOperationException">CUDA was required and cannot load.</exception>
    public TrainingShard(TrainingShardOptions? options = null)
    {
        _multiplier = new MatrixMultiplier(options ?? new TrainingShardOptions());
    }

    private enum Phase
    {
        Empty,
        Loaded,
        Hidden,
        Output,
        Normalized,
        Logits,
        Loss,
        OutputLayer,
    }

    /// <summary>Execution provider of the matrix products: "CPU" or "CUDA:&lt;device&gt;".</summary>
    public string Provider => _multiplier.Provider;

    /// <summary>Number of rows of the slice loaded by <see cref="LoadBatch"/>.</summary>
    public int Rows => _rows;

    /// <summary>
    /// Sets the shard's slice of the global batch for the next steps. The arrays are kept by
    /// reference, not copied, so the caller must not change them while a step runs.
    /// </summary>
    /// <param name="source">Source embeddings, [rows, in], row-major.</param>
    /// <param name="target">Target embeddings, [rows, out]; they are L2-normalised during the step.</param>
    /// <param name="rows">Number of rows; at least 1.</param>
    /// <exception cref="ArgumentException">The arrays are shorter than <paramref name="rows"/> rows, or their row widths differ from each other.</exception>
    public void LoadBatch(float[] source, float[] target, int rows)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        if (source.Length % rows != 0 || target.Length % rows != 0)
        {
            throw new ArgumentException(
                $"batch of {rows} rows: source length {source.Length} and target length {target.Length} must both be multiples of {rows}",
                nameof(rows));
        }

        _source = source;
        _targetInput = target;
        _rows = rows;
        _phase = Phase.Loaded;
    }

    /// <inheritdoc/>
    public Task<FeatureMoments> ForwardHiddenAsync(ProjectorWeights weights, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(weights);
        cancellationToken.ThrowIfCancellationRequested();
        if (_phase == Phase.Empty)
        {
            throw new InvalidOperationException("training shard has no batch; call LoadBatch before the first step");
        }

        ProjectorMath.Validate(weights);
        ProjectorArchitecture architecture = weights.Architecture;
        if (_source.Length != _rows * architecture.InputDimension || _targetInput.Length != _rows * architecture.OutputDimension)
        {
            throw new ArgumentException(
                $"training shard holds {_rows} rows with source length {_source.Length} and target length {_targetInput.Length}, "
                + $"but the projector maps {architecture.InputDimension} → {architecture.OutputDimension}; load a batch of matching dimensions",
                nameof(weights));
        }

        _weights = weights;
        EnsureRowBuffers(architecture);
        int hidden = architecture.HiddenDimension;
        _multiplier.Multiply(
            MatrixLayout.TransposeRight, _source, _rows, architecture.InputDimension, weights.Weight1, hidden, architecture.InputDimension, _hiddenNormalized);
        TrainingKernels.AddRowVector(_hiddenNormalized, _rows, weights.Bias1);

        _phase = Phase.Hidden;
        return Task.FromResult(TrainingKernels.Moments(_hiddenNormalized, _rows, hidden));
    }

    /// <inheritdoc/>
    public Task<FeatureMoments> ForwardOutputAsync(BatchStatistics hidden, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        cancellationToken.ThrowIfCancellationRequested();
        ProjectorWeights weights = Expect(Phase.Hidden, nameof(ForwardOutputAsync));
        ProjectorArchitecture architecture = weights.Architecture;
        int hiddenDimension = architecture.HiddenDimension;
        int outputDimension = architecture.OutputDimension;

        if (architecture.BatchNorm)
        {
            CheckFeatures(hidden.Mean.Length, hiddenDimension, "hidden statistics");
            (float[] mean, _hiddenInverseStd) = TrainingKernels.Normalizer(hidden, architecture.Epsilon);
            TrainingKernels.BatchNormForward(
                _hiddenNormalized, _rows, mean, _hiddenInverseStd, weights.Norm1Scale!, weights.Norm1Shift!, _hiddenPreActivation);
        }
        else
        {
            Array.Copy(_hiddenNormalized, _hiddenPreActivation, _rows * hiddenDimension);
        }

        TrainingKernels.Activate(
            architecture.Activation, _hiddenPreActivation.AsSpan(0, _rows * hiddenDimension), _hidden.AsSpan(0, _rows * hiddenDimension));
        _multiplier.Multiply(
            MatrixLayout.TransposeRight, _hidden, _rows, hiddenDimension, weights.Weight2, outputDimension, hiddenDimension, _outputNormalized);
        TrainingKernels.AddRowVector(_outputNormalized, _rows, weights.Bias2);

        _phase = Phase.Output;
        return Task.FromResult(TrainingKernels.Moments(_outputNormalized, _rows, outputDimension));
    }

    /// <inheritdoc/>
    public Task<ShardTargets> NormalizeAsync(BatchStatistics output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();
        ProjectorWeights weights = Expect(Phase.Output, nameof(NormalizeAsync));
        ProjectorArchitecture architecture = weights.Architecture;
        int outputDimension = architecture.OutputDimension;

        if (architecture.BatchNorm)
        {
            CheckFeatures(output.Mean.Length, outputDimension, "output statistics");
            (float[] mean, _outputInverseStd) = TrainingKernels.Normalizer(output, architecture.Epsilon);
            TrainingKernels.BatchNormForward(
                _outputNormalized, _rows, mean, _outputInverseStd, weights.Norm2Scale!, weights.Norm2Shift!, _output);
        }
        else
        {
            Array.Copy(_outputNormalized, _output, _rows * outputDimension);
        }

        TrainingKernels.NormalizeRows(_output, _rows, outputDimension, _embedding, _norms);
        var unused = new float[_rows];
        TrainingKernels.NormalizeRows(_targetInput, _rows, outputDimension, _targets, unused);

        _phase = Phase.Normalized;
        return Task.FromResult(new ShardTargets(_rows, _targets));
    }

    /// <inheritdoc/>
    public Task<LogitSummary> ComputeLogitsAsync(LogitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        ProjectorWeights weights = Expect(Phase.Normalized, nameof(ComputeLogitsAsync));
        int outputDimension = weights.Architecture.OutputDimension;
        int batch = request.BatchSize;
        if (request.Targets.Length != batch * outputDimension || request.RowOffset < 0 || request.RowOffset + _rows > batch)
        {
            throw new ArgumentException(
                $"logit request: targets of length {request.Targets.Length} for batch {batch} × {outputDimension}, rows "
                + $"{request.RowOffset}..{request.RowOffset + _rows} do not fit; pass every shard's targets in shard order",
                nameof(request));
        }

        _batchSize = batch;
        _rowOffset = request.RowOffset;
        _scale = request.Scale;
        _mseWeight = request.MseWeight;
        _allTargets = request.Targets;
        EnsureLogitBuffers(batch);

        _multiplier.Multiply(
            MatrixLayout.TransposeRight, _embedding, _rows, outputDimension, _allTargets, batch, outputDimension, _logits);
        TensorPrimitives.Multiply(_logits.AsSpan(0, _rows * batch), _scale, _logits.AsSpan(0, _rows * batch));

        var columnMax = new float[batch];
        columnMax.AsSpan().Fill(float.NegativeInfinity);
        double rowLoss = 0;
        double diagonal = 0;
        for (int r = 0; r < _rows; r++)
        {
            ReadOnlySpan<float> row = _logits.AsSpan(r * batch, batch);
            Span<float> softmax = _logitGradient.AsSpan(r * batch, batch);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, softmax);
            TensorPrimitives.Exp(softmax, softmax);
            double sum = TensorPrimitives.Sum<float>(softmax);
            TensorPrimitives.Divide(softmax, (float)sum, softmax);
            float own = row[_rowOffset + r];
            rowLoss += max + Math.Log(sum) - own;
            diagonal += own;
            TensorPrimitives.Max(columnMax, row, columnMax);
        }

        var columnSum = new float[batch];
        var temporary = new float[batch];
        for (int r = 0; r < _rows; r++)
        {
            TensorPrimitives.Subtract(_logits.AsSpan(r * batch, batch), columnMax, temporary);
            TensorPrimitives.Exp(temporary, temporary);
            TensorPrimitives.Add(columnSum, temporary, columnSum);
        }

        double squaredError = 0;
        for (int r = 0; r < _rows; r++)
        {
            ReadOnlySpan<float> z = _embedding.AsSpan(r * outputDimension, outputDimension);
            ReadOnlySpan<float> t = _targets.AsSpan(r * outputDimension, outputDimension);
            squaredError += TensorPrimitives.SumOfSquares<float>(z) - 2.0 * TensorPrimitives.Dot(z, t) + TensorPrimitives.SumOfSquares<float>(t);
        }

        _phase = Phase.Logits;
        var columnSumExp = Array.ConvertAll(columnSum, value => (double)value);
        return Task.FromResult(new LogitSummary(columnMax, columnSumExp, rowLoss, diagonal, squaredError));
    }

    /// <inheritdoc/>
    public Task<GradientSums> BackwardLossAsync(double[] columnLogSumExp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(columnLogSumExp);
        cancellationToken.ThrowIfCancellationRequested();
        ProjectorWeights weights = Expect(Phase.Logits, nameof(BackwardLossAsync));
        int outputDimension = weights.Architecture.OutputDimension;
        int batch = _batchSize;
        CheckFeatures(columnLogSumExp.Length, batch, "column log-sum-exp");

        // dL/dS = (softmax_row − I) / 2B + (exp(S − colLSE) − I) / 2B.
        var logSumExp = Array.ConvertAll(columnLogSumExp, value => (float)value);
        var columnSoftmax = new float[batch];
        float half = 1f / (2 * batch);
        double logitProduct = 0;
        for (int r = 0; r < _rows; r++)
        {
            ReadOnlySpan<float> logits = _logits.AsSpan(r * batch, batch);
            Span<float> gradient = _logitGradient.AsSpan(r * batch, batch);
            TensorPrimitives.Subtract(logits, logSumExp, columnSoftmax);
            TensorPrimitives.Exp(columnSoftmax, columnSoftmax);
            TensorPrimitives.Add(gradient, columnSoftmax, gradient);
            TensorPrimitives.Multiply(gradient, half, gradient);
            gradient[_rowOffset + r] -= 2 * half;
            logitProduct += TensorPrimitives.Dot(gradient, logits);
        }

        // dL/dz = s · dS · T + 2λ/B · (z − t).
        _multiplier.Multiply(MatrixLayout.Plain, _logitGradient, _rows, batch, _allTargets, batch, outputDimension, _outputGradient);
        int length = _rows * outputDimension;
        Span<float> outputGradient = _outputGradient.AsSpan(0, length);
        TensorPrimitives.Multiply(outputGradient, _scale, outputGradient);
        if (_mseWeight > 0)
        {
            float weight = (float)(2 * _mseWeight / batch);
            for (int i = 0; i < length; i++)
            {
                outputGradient[i] += weight * (_embedding[i] - _targets[i]);
            }
        }

        TrainingKernels.NormalizeRowsBackward(_outputGradient, _embedding, _norms, _rows, outputDimension);

        _phase = Phase.Loss;
        return Task.FromResult(TrainingKernels.ProductSums(_outputGradient, _outputNormalized, _rows, outputDimension, logitProduct));
    }

    /// <inheritdoc/>
    public Task<GradientSums> BackwardOutputLayerAsync(GradientSums output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();
        ProjectorWeights weights = Expect(Phase.Loss, nameof(BackwardOutputLayerAsync));
        ProjectorArchitecture architecture = weights.Architecture;
        int hiddenDimension = architecture.HiddenDimension;
        int outputDimension = architecture.OutputDimension;

        if (architecture.BatchNorm)
        {
            CheckFeatures(output.Sum.Length, outputDimension, "output gradient sums");
            TrainingKernels.BatchNormBackward(
                _outputGradient, _rows, _outputNormalized, weights.Norm2Scale!, _outputInverseStd, output, _batchSize);

            // BatchNorm subtracts the batch mean, so the bias before it has an exactly zero gradient.
            Array.Clear(_bias2Gradient);
        }
        else
        {
            TrainingKernels.ColumnSums(_outputGradient, _rows, _bias2Gradient);
        }

        _multiplier.Multiply(
            MatrixLayout.TransposeLeft, _outputGradient, _rows, outputDimension, _hidden, _rows, hiddenDimension, _weight2Gradient);
        _multiplier.Multiply(
            MatrixLayout.Plain, _outputGradient, _rows, outputDimension, weights.Weight2, outputDimension, hiddenDimension, _hiddenGradient);
        int length = _rows * hiddenDimension;
        TrainingKernels.ActivationBackward(
            architecture.Activation, _hiddenPreActivation.AsSpan(0, length), _hidden.AsSpan(0, length), _hiddenGradient.AsSpan(0, length));

        _phase = Phase.OutputLayer;
        return Task.FromResult(TrainingKernels.ProductSums(_hiddenGradient, _hiddenNormalized, _rows, hiddenDimension));
    }

    /// <inheritdoc/>
    public Task<ShardParameterGradients> BackwardHiddenLayerAsync(GradientSums hidden, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        cancellationToken.ThrowIfCancellationRequested();
        ProjectorWeights weights = Expect(Phase.OutputLayer, nameof(BackwardHiddenLayerAsync));
        ProjectorArchitecture architecture = weights.Architecture;
        int hiddenDimension = architecture.HiddenDimension;

        if (architecture.BatchNorm)
        {
            CheckFeatures(hidden.Sum.Length, hiddenDimension, "hidden gradient sums");
            TrainingKernels.BatchNormBackward(
                _hiddenGradient, _rows, _hiddenNormalized, weights.Norm1Scale!, _hiddenInverseStd, hidden, _batchSize);
            Array.Clear(_bias1Gradient);
        }
        else
        {
            TrainingKernels.ColumnSums(_hiddenGradient, _rows, _bias1Gradient);
        }

        _multiplier.Multiply(
            MatrixLayout.TransposeLeft, _hiddenGradient, _rows, hiddenDimension, _source, _rows, architecture.InputDimension, _weight1Gradient);

        _phase = Phase.Loaded;
        return Task.FromResult(new ShardParameterGradients(_weight1Gradient, _bias1Gradient, _weight2Gradient, _bias2Gradient));
    }

    /// <summary>Releases the ONNX Runtime sessions.</summary>
    public void Dispose() => _multiplier.Dispose();

    private ProjectorWeights Expect(Phase previous, string method)
    {
        if (_phase != previous || _weights is null)
        {
            throw new InvalidOperationException(
                $"training shard: {method} called after phase {_phase}, expected after {previous}; run the phases of a step in order");
        }

        return _weights;
    }

    private static void CheckFeatures(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{what} have {actual} features, expected {expected} for this projector");
        }
    }

    private void EnsureRowBuffers(ProjectorArchitecture architecture)
    {
        if (architecture == _architecture && _hidden.Length == _rows * architecture.HiddenDimension)
        {
            return;
        }

        int hidden = _rows * architecture.HiddenDimension;
        int output = _rows * architecture.OutputDimension;
        _hiddenNormalized = new float[hidden];
        _hiddenPreActivation = new float[hidden];
        _hidden = new float[hidden];
        _hiddenGradient = new float[hidden];
        _outputNormalized = new float[output];
        _output = new float[output];
        _embedding = new float[output];
        _targets = new float[output];
        _outputGradient = new float[output];
        _norms = new float[_rows];
        _weight1Gradient = new float[architecture.HiddenDimension * architecture.InputDimension];
        _bias1Gradient = new float[architecture.HiddenDimension];
        _weight2Gradient = new float[architecture.OutputDimension * architecture.HiddenDimension];
        _bias2Gradient = new float[architecture.OutputDimension];
        _logits = [];
        _logitGradient = [];
        _architecture = architecture;
    }

    private void EnsureLogitBuffers(int batch)
    {
        if (_logits.Length != _rows * batch)
        {
            _logits = new float[_rows * batch];
            _logitGradient = new float[_rows * batch];
        }
    }
}

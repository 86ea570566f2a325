using FreeBind.Bonds;

namespace FreeBind.Training;

/// <summary>Scores a projector on held-out pairs: symmetric InfoNCE loss and recall at 1.</summary>
public static class TrainingValidation
{
    /// <summary>
    /// Runs the projector in inference mode (BatchNorm running statistics) on every source row and
    /// compares the outputs with the L2-normalised targets: recall at 1 is the share of rows whose
    /// own target scores highest (a tie counts against the row), the loss is the symmetric InfoNCE
    /// of the training objective at scale 1/<paramref name="temperature"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 1 row, or the arrays do not hold <paramref name="rows"/> rows.</exception>
    public static (double Loss, double RecallAt1) Evaluate(
        ProjectorWeights weights, float[] source, float[] target, int rows, double temperature)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var architecture = weights.Architecture;
        var outputs = architecture.OutputDimension;
        if (source.Length != rows * architecture.InputDimension || target.Length != rows * outputs)
        {
            throw new ArgumentException(
                $"validation of {rows} rows needs {rows * architecture.InputDimension} source and {rows * outputs} target values, got {source.Length} and {target.Length}");
        }

        var projected = Project(weights, source, rows);
        var targets = (float[])target.Clone();
        var norms = new float[rows];
        TrainingKernels.NormalizeRows(target, rows, outputs, targets, norms);

        var scale = 1 / temperature;
        var columnMax = new double[rows];
        var columnSum = new double[rows];
        Array.Fill(columnMax, double.NegativeInfinity);
        double rowLoss = 0;
        double diagonal = 0;
        var hits = 0;
        var scores = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var z = projected.AsSpan(i * outputs, outputs);
            for (var j = 0; j < rows; j++)
            {
                scores[j] = (float)(scale * System.Numerics.Tensors.TensorPrimitives.Dot(z, targets.AsSpan(j * outputs, outputs)));
            }

            var own = scores[i];
            var best = true;
            var rowMax = double.NegativeInfinity;
            for (var j = 0; j < rows; j++)
            {
                rowMax = Math.Max(rowMax, scores[j]);
                if (j != i && scores[j] >= own)
                {
                    best = false;
                }
            }

            double rowSum = 0;
            for (var j = 0; j < rows; j++)
            {
                rowSum += Math.Exp(scores[j] - rowMax);

                // Online log-sum-exp per column, so the matrix is never stored whole.
                if (scores[j] > columnMax[j])
                {
                    columnSum[j] = (columnSum[j] * Math.Exp(columnMax[j] - scores[j])) + 1;
                    columnMax[j] = scores[j];
                }
                else
                {
                    columnSum[j] += Math.Exp(scores[j] - columnMax[j]);
                }
            }

            rowLoss += rowMax + Math.Log(rowSum) - own;
            diagonal += own;
            hits += best ? 1 : 0;
        }

        double columnLoss = 0;
        for (var j = 0; j < rows; j++)
        {
            columnLoss += columnMax[j] + Math.Log(columnSum[j]);
        }

        columnLoss -= diagonal;
        return (((rowLoss + columnLoss) / 2) / rows, hits / (double)rows);
    }

    /// <summary>
    /// Runs the projector in inference mode on every row, in float with vectorised dot products:
    /// Linear, BatchNorm1d with the running statistics, activation, Linear, BatchNorm1d, L2
    /// normalisation.
    /// </summary>
    /// <remarks>
    /// The trainer validates after every epoch with new weights, so building an ONNX Runtime session
    /// each time (as fusion does) would cost more than the pass itself on small validation splits.
    /// </remarks>
    private static float[] Project(ProjectorWeights weights, float[] source, int rows)
    {
        var architecture = weights.Architecture;
        var hiddenValues = Linear(weights.Weight1, weights.Bias1, source, rows, architecture.InputDimension, architecture.HiddenDimension);
        if (architecture.BatchNorm)
        {
            BatchNormInference(
                hiddenValues, rows, weights.Norm1RunningMean!, weights.Norm1RunningVariance!, weights.Norm1Scale!, weights.Norm1Shift!,
                architecture.Epsilon);
        }

        TrainingKernels.Activate(architecture.Activation, hiddenValues, hiddenValues);
        var outputs = Linear(weights.Weight2, weights.Bias2, hiddenValues, rows, architecture.HiddenDimension, architecture.OutputDimension);
        if (architecture.BatchNorm)
        {
            BatchNormInference(
                outputs, rows, weights.Norm2RunningMean!, weights.Norm2RunningVariance!, weights.Norm2Scale!, weights.Norm2Shift!,
                architecture.Epsilon);
        }

        var normalized = new float[outputs.Length];
        TrainingKernels.NormalizeRows(outputs, rows, architecture.OutputDimension, normalized, new float[rows]);
        return normalized;
    }

    /// <summary>Returns x·Wᵀ + b for row-major <paramref name="input"/> [rows, inputs] and <paramref name="weight"/> [outputs, inputs].</summary>
    private static float[] Linear(float[] weight, float[] bias, float[] input, int rows, int inputs, int outputs)
    {
        var result = new float[rows * outputs];
        for (var r = 0; r < rows; r++)
        {
            var row = input.AsSpan(r * inputs, inputs);
            for (var k = 0; k < outputs; k++)
            {
                result[(r * outputs) + k] = System.Numerics.Tensors.TensorPrimitives.Dot(weight.AsSpan(k * inputs, inputs), row) + bias[k];
            }
        }

        return result;
    }

    private static void BatchNormInference(
        float[] values, int rows, float[] runningMean, float[] runningVariance, float[] scale, float[] shift, float epsilon)
    {
        var inverseStd = new float[runningVariance.Length];
        for (var k = 0; k < inverseStd.Length; k++)
        {
            inverseStd[k] = (float)(1 / Math.Sqrt(runningVariance[k] + (double)epsilon));
        }

        TrainingKernels.BatchNormForward(values, rows, runningMean, inverseStd, scale, shift, values);
    }
}

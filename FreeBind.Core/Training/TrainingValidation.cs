using FreeBind.Bonds;
using FreeBind.Bonds.Runtime;
using FreeBind.Encoders;

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

        float[] projected;
        using (var runner = FusionRunner.CreateEnsemble([weights], new FusionRunnerOptions { Provider = ExecutionProvider.Cpu }))
        {
            projected = runner.Run([source], rows);
        }

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
}

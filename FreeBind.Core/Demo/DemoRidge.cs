namespace FreeBind.Demo;

/// <summary>Ridge regression with a bias term, solved by Cholesky decomposition of the normal equations.</summary>
internal static class DemoRidge
{
    /// <summary>
    /// Fits W ([features + 1, targets], bias in the last row) minimising
    /// |[X 1] W - Y|² + lambda × n × |W without bias|².
    /// </summary>
    public static double[,] Fit(IReadOnlyList<double[]> inputs, IReadOnlyList<double[]> targets, double lambda)
    {
        var n = inputs.Count;
        var d = inputs[0].Length + 1;
        var k = targets[0].Length;

        var gram = new double[d, d];
        var cross = new double[d, k];
        var row = new double[d];
        for (var i = 0; i < n; i++)
        {
            inputs[i].CopyTo(row, 0);
            row[d - 1] = 1;
            for (var a = 0; a < d; a++)
            {
                for (var b = 0; b <= a; b++)
                {
                    gram[a, b] += row[a] * row[b];
                }

                for (var t = 0; t < k; t++)
                {
                    cross[a, t] += row[a] * targets[i][t];
                }
            }
        }

        for (var a = 0; a < d; a++)
        {
            for (var b = a + 1; b < d; b++)
            {
                gram[a, b] = gram[b, a];
            }

            // The bias is not shrunk; a tiny ridge on it keeps the matrix positive definite.
            gram[a, a] += a < d - 1 ? lambda * n : 1e-9 * n;
        }

        var lower = Cholesky(gram);
        var weights = new double[d, k];
        var column = new double[d];
        for (var t = 0; t < k; t++)
        {
            for (var a = 0; a < d; a++)
            {
                column[a] = cross[a, t];
            }

            var solution = Solve(lower, column);
            for (var a = 0; a < d; a++)
            {
                weights[a, t] = solution[a];
            }
        }

        return weights;
    }

    private static double[,] Cholesky(double[,] matrix)
    {
        var d = matrix.GetLength(0);
        var lower = new double[d, d];
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = matrix[i, j];
                for (var m = 0; m < j; m++)
                {
                    sum -= lower[i, m] * lower[j, m];
                }

                if (i == j)
                {
                    if (sum <= 0)
                    {
                        throw new InvalidOperationException(
                            $"ridge fit: the normal matrix is not positive definite at row {i}: raise the ridge penalty");
                    }

                    lower[i, i] = Math.Sqrt(sum);
                }
                else
                {
                    lower[i, j] = sum / lower[j, j];
                }
            }
        }

        return lower;
    }

    private static double[] Solve(double[,] lower, double[] right)
    {
        var d = right.Length;
        var forward = new double[d];
        for (var i = 0; i < d; i++)
        {
            var sum = right[i];
            for (var m = 0; m < i; m++)
            {
                sum -= lower[i, m] * forward[m];
            }

            forward[i] = sum / lower[i, i];
        }

        var result = new double[d];
        for (var i = d - 1; i >= 0; i--)
        {
            var sum = forward[i];
            for (var m = i + 1; m < d; m++)
            {
                sum -= lower[m, i] * result[m];
            }

            result[i] = sum / lower[i, i];
        }

        return result;
    }
}

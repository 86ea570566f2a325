using FreeBind.Bonds;

namespace FreeBind.Tests.Bonds.Checkpoints;

public sealed class ProjectorMathTests
{
    // Expected values from Python 3.11 math.erf.
    [Theory]
    [InlineData(0.1, 0.1124629160182849)]
    [InlineData(-0.5, -0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.5, 0.999593047982555)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(3.5, 0.9999992569016276)]
    [InlineData(4.2, 0.9999999971445058)]
    [InlineData(-5.9, -0.9999999999999999)]
    [InlineData(0.0, 0.0)]
    public void Erf_MatchesPython(double x, double expected)
    {
        Assert.Equal(expected, ProjectorMath.Erf(x), 1e-13);
    }

    [Fact]
    public void Activate_AppliesEachFunction()
    {
        Assert.Equal(0.0, ProjectorMath.Activate("relu", -2.0));
        Assert.Equal(1.5, ProjectorMath.Activate("relu", 1.5));
        Assert.Equal(0.8413447460685429, ProjectorMath.Activate("gelu", 1.0), 1e-13);
        Assert.Equal(0.7310585786300049, ProjectorMath.Activate("silu", 1.0), 1e-13);
        Assert.Equal(Math.Tanh(0.3), ProjectorMath.Activate("tanh", 0.3));
        Assert.Throws<ArgumentException>(() => ProjectorMath.Activate("mish", 1.0));
    }

    [Fact]
    public void Forward_NormalisesOutput()
    {
        ProjectorWeights weights = Identity(3, "relu");
        var output = new float[3];

        ProjectorMath.Forward(weights, [3f, 0f, 4f], output);

        Assert.Equal([0.6f, 0f, 0.8f], output);
    }

    [Fact]
    public void Forward_ZeroOutputStaysZero()
    {
        ProjectorWeights weights = Identity(2, "relu");
        var output = new float[2];

        ProjectorMath.Forward(weights, [-1f, -2f], output);

        Assert.Equal([0f, 0f], output);
    }

    [Fact]
    public void Forward_RejectsWrongInputLength()
    {
        ProjectorWeights weights = Identity(3, "relu");

        var error = Assert.Throws<ArgumentException>(() => ProjectorMath.Forward(weights, [1f, 2f], new float[3]));

        Assert.Contains("input has length 2, expected 3", error.Message);
    }

    [Fact]
    public void Validate_RejectsShortWeightArray()
    {
        ProjectorWeights weights = Identity(3, "relu");
        var broken = new ProjectorWeights
        {
            Architecture = weights.Architecture,
            Weight1 = new float[8],
            Bias1 = weights.Bias1,
            Weight2 = weights.Weight2,
            Bias2 = weights.Bias2,
        };

        var error = Assert.Throws<ArgumentException>(() => ProjectorMath.Validate(broken));

        Assert.Contains("Weight1 has 8 values, expected 9", error.Message);
    }

    [Fact]
    public void Validate_RejectsNormArraysWithoutBatchNorm()
    {
        ProjectorWeights weights = Identity(2, "relu");
        var broken = new ProjectorWeights
        {
            Architecture = weights.Architecture,
            Weight1 = weights.Weight1,
            Bias1 = weights.Bias1,
            Weight2 = weights.Weight2,
            Bias2 = weights.Bias2,
            Norm1Scale = [1f, 1f],
        };

        var error = Assert.Throws<ArgumentException>(() => ProjectorMath.Validate(broken));

        Assert.Contains("Norm1Scale is set", error.Message);
    }

    // Identity Linear layers without BatchNorm, so the output is normalize(activation(x)).
    private static ProjectorWeights Identity(int dimension, string activation)
    {
        var eye = new float[dimension * dimension];
        for (int i = 0; i < dimension; i++)
        {
            eye[i * dimension + i] = 1f;
        }

        return new ProjectorWeights
        {
            Architecture = new ProjectorArchitecture(dimension, dimension, dimension, activation, BatchNorm: false),
            Weight1 = eye,
            Bias1 = new float[dimension],
            Weight2 = (float[])eye.Clone(),
            Bias2 = new float[dimension],
        };
    }
}

using FreeBind.Bonds;

namespace FreeBind.Training;

// Orleans-serialisable copies of the FreeBind.Training phase records, which live in FreeBind.Core
// and so carry no serializer. Each converts to and from its Core record without copying arrays.

/// <summary>Wire form of <see cref="FeatureMoments"/>.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.WireMoments")]
public sealed record WireMoments([property: Id(0)] int Rows, [property: Id(1)] double[] Sum, [property: Id(2)] double[] SumOfSquares)
{
    public static WireMoments From(FeatureMoments value) => new(value.Rows, value.Sum, value.SumOfSquares);

    public FeatureMoments ToCore() => new(Rows, Sum, SumOfSquares);
}

/// <summary>Wire form of <see cref="BatchStatistics"/>.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.WireStatistics")]
public sealed record WireStatistics([property: Id(0)] int Rows, [property: Id(1)] double[] Mean, [property: Id(2)] double[] Variance)
{
    public static WireStatistics From(BatchStatistics value) => new(value.Rows, value.Mean, value.Variance);

    public BatchStatistics ToCore() => new(Rows, Mean, Variance);
}

/// <summary>Wire form of <see cref="ShardTargets"/>.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.WireTargets")]
public sealed record WireTargets([property: Id(0)] int Rows, [property: Id(1)] float[] Targets)
{
    public static WireTargets From(ShardTargets value) => new(value.Rows, value.Targets);

    public ShardTargets ToCore() => new(Rows, Targets);
}

/// <summary>Wire form of <see cref="LogitRequest"/>.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.WireLogitRequest")]
public sealed record WireLogitRequest(
    [property: Id(0)] float[] Targets,
    [property: Id(1)] int BatchSize,
    [property: Id(2)] int RowOffset,
    [property: Id(3)] float Scale,
    [property: Id(4)] double MseWeight)
{
    public static WireLogitRequest From(LogitRequest value) =>
        new(value.Targets, value.BatchSize, value.RowOffset, value.Scale, value.MseWeight);

    public LogitRequest ToCore() => new(Targets, BatchSize, RowOffset, Scale, MseWeight);
}

/// <summary>Wire form of <see cref="LogitSummary"/>.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.WireLogitSummary")]
public sealed record WireLogitSummary(
    [property: Id(0)] float[] ColumnMax,
    [property: Id(1)] double[] ColumnSumExp,
    [property: Id(2)] double RowLossSum,
    [property: Id(3)] double DiagonalSum,
    [property: Id(4)] double SquaredErrorSum)
{
    public static WireLogitSummary From(LogitSummary value) =>
        new(value.ColumnMax, value.ColumnSumExp, value.RowLossSum, value.DiagonalSum, value.SquaredErrorSum);

    public LogitSummary ToCore() => new(ColumnMax, ColumnSumExp, RowLossSum, DiagonalSum, SquaredErrorSum);
}

/// <summary>Wire form of <see cref="GradientSums"/>.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.WireGradientSums")]
public sealed record WireGradientSums(
    [property: Id(0)] double[] Sum, [property: Id(1)] double[] SumOfProducts, [property: Id(2)] double LogitProductSum)
{
    public static WireGradientSums From(GradientSums value) => new(value.Sum, value.SumOfProducts, value.LogitProductSum);

    public GradientSums ToCore() => new(Sum, SumOfProducts, LogitProductSum);
}

/// <summary>Wire form of <see cref="ShardParameterGradients"/>.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.WireParameterGradients")]
public sealed record WireParameterGradients(
    [property: Id(0)] float[] Weight1, [property: Id(1)] float[] Bias1, [property: Id(2)] float[] Weight2, [property: Id(3)] float[] Bias2)
{
    public static WireParameterGradients From(ShardParameterGradients value) =>
        new(value.Weight1, value.Bias1, value.Weight2, value.Bias2);

    public ShardParameterGradients ToCore() => new(Weight1, Bias1, Weight2, Bias2);
}

/// <summary>Wire form of the trained parameters of a <see cref="ProjectorWeights"/> (running statistics stay with the trainer).</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.WireProjector")]
public sealed record WireProjector
{
    [Id(0)] public required int InputDimension { get; init; }

    [Id(1)] public required int HiddenDimension { get; init; }

    [Id(2)] public required int OutputDimension { get; init; }

    [Id(3)] public required string Activation { get; init; }

    [Id(4)] public required bool BatchNorm { get; init; }

    [Id(5)] public required float Epsilon { get; init; }

    [Id(6)] public required float[] Weight1 { get; init; }

    [Id(7)] public required float[] Bias1 { get; init; }

    [Id(8)] public float[]? Norm1Scale { get; init; }

    [Id(9)] public float[]? Norm1Shift { get; init; }

    [Id(10)] public required float[] Weight2 { get; init; }

    [Id(11)] public required float[] Bias2 { get; init; }

    [Id(12)] public float[]? Norm2Scale { get; init; }

    [Id(13)] public float[]? Norm2Shift { get; init; }

    public static WireProjector From(ProjectorWeights weights) => new()
    {
        InputDimension = weights.Architecture.InputDimension,
        HiddenDimension = weights.Architecture.HiddenDimension,
        OutputDimension = weights.Architecture.OutputDimension,
        Activation = weights.Architecture.Activation,
        BatchNorm = weights.Architecture.BatchNorm,
        Epsilon = weights.Architecture.Epsilon,
        Weight1 = weights.Weight1,
        Bias1 = weights.Bias1,
        Norm1Scale = weights.Norm1Scale,
        Norm1Shift = weights.Norm1Shift,
        Weight2 = weights.Weight2,
        Bias2 = weights.Bias2,
        Norm2Scale = weights.Norm2Scale,
        Norm2Shift = weights.Norm2Shift,
    };

    /// <summary>The weights, with running statistics at their initial values (a training step does not read them).</summary>
    public ProjectorWeights ToCore() => new()
    {
        Architecture = new ProjectorArchitecture(InputDimension, HiddenDimension, OutputDimension, Activation, BatchNorm, Epsilon),
        Weight1 = Weight1,
        Bias1 = Bias1,
        Norm1Scale = Norm1Scale,
        Norm1Shift = Norm1Shift,
        Norm1RunningMean = BatchNorm ? new float[HiddenDimension] : null,
        Norm1RunningVariance = BatchNorm ? Enumerable.Repeat(1f, HiddenDimension).ToArray() : null,
        Weight2 = Weight2,
        Bias2 = Bias2,
        Norm2Scale = Norm2Scale,
        Norm2Shift = Norm2Shift,
        Norm2RunningMean = BatchNorm ? new float[OutputDimension] : null,
        Norm2RunningVariance = BatchNorm ? Enumerable.Repeat(1f, OutputDimension).ToArray() : null,
    };
}

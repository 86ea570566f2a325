namespace FreeBind.Tests.Infrastructure;

/// <summary>
/// The test classes that share one <see cref="TrainingClusterFixture"/>. They run one after the
/// other, so a test that kills a silo never overlaps another training test.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TrainingClusterCollection : ICollectionFixture<TrainingClusterFixture>
{
    public const string Name = "Training cluster";
}

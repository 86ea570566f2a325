namespace FreeBind.Tests.Infrastructure;

/// <summary>
/// Test classes marked <c>[Collection(ProcessStateCollection.Name)]</c> run alone, after the
/// parallel ones, because they change process-wide state such as stderr (file descriptor 2).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessStateCollection
{
    public const string Name = "process-wide state";
}

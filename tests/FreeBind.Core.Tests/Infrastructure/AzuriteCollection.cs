namespace FreeBind.Tests.Infrastructure;

/// <summary>Test classes marked <c>[Collection(AzuriteCollection.Name)]</c> share one Azurite instance.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

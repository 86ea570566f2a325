using FreeBind.Storage;

namespace FreeBind.Tests.Storage;

public sealed class BlobStoreFactoryTests
{
    private const string Sas = "sv=2024-08-04&ss=b&srt=co&sp=rwdlc&se=2030-01-01T00:00:00Z&sig=c2VjcmV0c2lnbmF0dXJl%3D";
    private const string AccountKeyConnectionString =
        "DefaultEndpointsProtocol=https;AccountName=freebindacct;AccountKey=c2VjcmV0a2V5c2VjcmV0a2V5;EndpointSuffix=core.windows.net";

    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Open_PlainPathAndFileUri_GiveLocalStore()
    {
        var folder = Path.Combine(Path.GetTempPath(), "freebind-factory");

        var byPath = BlobStoreFactory.OpenCore(folder, new BlobStoreOptions(), NoEnvironment);
        var byUri = BlobStoreFactory.OpenCore(new Uri(folder).AbsoluteUri, new BlobStoreOptions(), NoEnvironment);

        Assert.IsType<LocalBlobStore>(byPath);
        Assert.IsType<LocalBlobStore>(byUri);
        Assert.Equal(folder, byPath.DisplayRoot);
        Assert.Equal(folder, byUri.DisplayRoot);
    }

    [Fact]
    public void Open_SasUri_DisplayRootHasNoSignature()
    {
        var store = BlobStoreFactory.OpenCore(
            $"https://freebindacct.blob.core.windows.net/embeddings/runs/2026/?{Sas}", new BlobStoreOptions(), NoEnvironment);

        Assert.IsType<AzureBlobStore>(store);
        Assert.Equal("https://freebindacct.blob.core.windows.net/embeddings/runs/2026", store.DisplayRoot);
        Assert.DoesNotContain("sig", store.DisplayRoot, StringComparison.Ordinal);
        Assert.DoesNotContain("?", store.DisplayRoot, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UriWithoutCredentials_UsesTokenCredential()
    {
        var store = BlobStoreFactory.OpenCore("https://freebindacct.blob.core.windows.net/embeddings", new BlobStoreOptions(), NoEnvironment);

        Assert.IsType<AzureBlobStore>(store);
        Assert.Equal("https://freebindacct.blob.core.windows.net/embeddings", store.DisplayRoot);
    }

    [Fact]
    public void Open_ConfiguredAccount_UsesConnectionStringFromEnvironment()
    {
        var environment = new Dictionary<string, string>
        {
            [BlobStoreOptions.ConnectionStringVariable] = AccountKeyConnectionString,
            [BlobStoreOptions.AzureConnectionStringVariable] = AccountKeyConnectionString.Replace("freebindacct", "otheracct", StringComparison.Ordinal),
        };

        var store = BlobStoreFactory.OpenCore("az://embeddings/runs", new BlobStoreOptions(), environment.GetValueOrDefault);

        Assert.Equal("https://freebindacct.blob.core.windows.net/embeddings/runs", store.DisplayRoot);
        Assert.DoesNotContain("c2VjcmV0a2V5", store.DisplayRoot, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AzureVariableUsedWhenFreeBindVariableUnset()
    {
        var environment = new Dictionary<string, string> { [BlobStoreOptions.AzureConnectionStringVariable] = AccountKeyConnectionString };

        var store = BlobStoreFactory.OpenCore("az://embeddings", new BlobStoreOptions(), environment.GetValueOrDefault);

        Assert.Equal("https://freebindacct.blob.core.windows.net/embeddings", store.DisplayRoot);
    }

    [Fact]
    public void Open_ConfiguredAccountWithoutConnectionString_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => BlobStoreFactory.OpenCore("az://embeddings/runs", new BlobStoreOptions(), NoEnvironment));

        Assert.Contains("az://embeddings/runs", exception.Message, StringComparison.Ordinal);
        Assert.Contains(BlobStoreOptions.ConnectionStringVariable, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UriOutsideConnectionStringAccount_Throws()
    {
        var options = new BlobStoreOptions { ConnectionString = AccountKeyConnectionString };

        var exception = Assert.Throws<ArgumentException>(
            () => BlobStoreFactory.OpenCore("https://otheracct.blob.core.windows.net/embeddings", options, NoEnvironment));

        Assert.Contains("otheracct", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0a2V5", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://host/container/prefix")]
    [InlineData("https://example.com/container")]
    [InlineData("https://freebindacct.blob.core.windows.net/")]
    [InlineData("https://freebindacct.blob.core.windows.net/Bad_Container/x")]
    [InlineData("http://freebindacct.blob.core.windows.net/container")]
    [InlineData("http://127.0.0.1:10000/otheraccount/container")]
    [InlineData("https://freebindacct.blob.core.windows.net/container/a/../b")]
    [InlineData("az://Bad_Container/x")]
    public void Open_BadLocation_ThrowsNamingValue(string location)
    {
        var options = new BlobStoreOptions { ConnectionString = location.StartsWith("az:", StringComparison.Ordinal) ? AccountKeyConnectionString : null };

        var exception = Assert.Throws<ArgumentException>(() => BlobStoreFactory.OpenCore(location, options, NoEnvironment));

        Assert.Contains(location, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_BadLocation_ListsAcceptedFormsAndHidesSas()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => BlobStoreFactory.OpenCore($"https://example.com/container?{Sas}", new BlobStoreOptions(), NoEnvironment));

        Assert.Contains("https://example.com/container", exception.Message, StringComparison.Ordinal);
        Assert.Contains(BlobStoreFactory.AcceptedForms, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WebUrl_NamesHostNotContainer()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => BlobStoreFactory.OpenCore("https://example.com", new BlobStoreOptions(), NoEnvironment));

        Assert.Contains("host 'example.com' is not a blob endpoint", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("container name", exception.Message, StringComparison.Ordinal);
    }
}

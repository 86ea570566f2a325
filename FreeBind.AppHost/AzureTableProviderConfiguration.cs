using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orleans;

namespace FreeBind.AppHost;

/// <summary>
/// An Orleans provider (clustering or grain storage) on Azure Table storage, configured through
/// Orleans' configuration-based provider keys: <c>Orleans__{section}__ProviderType=AzureTableStorage</c>
/// and <c>Orleans__{section}__ConnectionName</c>, plus <c>ConnectionStrings__{name}</c>.
/// </summary>
/// <remarks>
/// Aspire.Hosting.Orleans derives the provider type from an Azure Storage resource, which needs
/// Aspire.Hosting.Azure.Storage. With a plain connection string it emits a provider type that
/// Orleans does not know, so this class names the provider itself.
/// </remarks>
/// <param name="connectionName">Name under <c>ConnectionStrings</c> that holds the connection string.</param>
/// <param name="connectionString">Storage connection string with a table endpoint.</param>
internal sealed class AzureTableProviderConfiguration(string connectionName, string connectionString) : IProviderConfiguration
{
    /// <summary>Orleans' provider type name for Azure Table storage.</summary>
    public const string ProviderType = "AzureTableStorage";

    /// <inheritdoc />
    public void ConfigureResource<T>(IResourceBuilder<T> resourceBuilder, string configSectionPath)
        where T : IResourceWithEnvironment
    {
        resourceBuilder.WithEnvironment(context =>
        {
            context.EnvironmentVariables[$"Orleans__{configSectionPath}__ProviderType"] = ProviderType;
            context.EnvironmentVariables[$"Orleans__{configSectionPath}__ConnectionName"] = connectionName;
            context.EnvironmentVariables[$"ConnectionStrings__{connectionName}"] = connectionString;
        });
    }
}

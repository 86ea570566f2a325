using FreeBind.Jobs;
using FreeBind.Media;

namespace FreeBind.Training.Pseudo;

/// <summary>Turns a job request into the bond, data modes and options of <see cref="PseudoDatasetBuilder"/>.</summary>
public static class PseudoDatasetRequests
{
    /// <summary>Reads and checks everything the request names except the embeddings themselves.</summary>
    /// <exception cref="JobConfigurationException">The bond, a data mode, the bank modality or an option is invalid.</exception>
    public static (PseudoBond Bond, IReadOnlyList<PseudoDataMode> Modes, PseudoDatasetOptions Options) Resolve(PseudoDatasetJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var bond = PseudoBondReader.Read(request.BondsJson, request.Bond, request.Expert);
            var modes = request.Modes.Select(PseudoDataMode.Parse).ToList();
            var options = new PseudoDatasetOptions
            {
                K = request.K,
                Temperature = request.Temperature,
                Noise = request.Noise,
                Seed = request.Seed,
                BankModality = ModalityNames.Parse(request.BankModality),
                RowsPerPartition = request.RowsPerPartition,
                QueryBatchSize = request.QueryBatchSize,
                RowsPerPart = request.RowsPerPart,
            };
            options.Validate();
            if (modes.Count == 0)
            {
                throw new PseudoDatasetException("no data mode requested: pass --modes with one or more of mix, A, T, V, AT, AV, TV.");
            }

            return (bond, modes, options);
        }
        catch (Exception exception) when (exception is PseudoDatasetException or FormatException)
        {
            // Library exceptions may not deserialize on a client; the message is what the user needs.
            throw new JobConfigurationException(exception.Message);
        }
    }
}

using FreeBind.Corpus;
using FreeBind.Media;
using FreeBind.Storage;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreeBind.Jobs;

/// <summary>Opens a job's corpus and output store with the silo's storage credentials.</summary>
public sealed class JobStorage(IOptions<BlobStoreOptions> options, ILoggerFactory loggerFactory)
{
    /// <summary>Opens the output root (folder or blob URI).</summary>
    public IBlobStore OpenOutput(string location)
    {
        var settings = options.Value;
        settings.LoggerFactory ??= loggerFactory;
        return BlobStoreFactory.Open(location, settings);
    }

    /// <summary>Opens the corpus a request names, reading only the requested modalities.</summary>
    public ICorpus OpenCorpus(EmbeddingJobRequest request)
    {
        var corpusOptions = new CorpusOptions
        {
            Modalities = request.Modalities.Count == 0
                ? [Modality.Image, Modality.Text, Modality.Audio]
                : request.Modalities.Select(ModalityNames.Parse).ToHashSet(),
            ManifestRoot = request.ManifestRoot,
        };
        return CorpusFactory.Open(request.Input, corpusOptions, OpenOutput);
    }
}

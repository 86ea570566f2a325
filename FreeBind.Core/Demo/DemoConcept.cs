namespace FreeBind.Demo;

/// <summary>One concept of a demo world: its id, its four words and its latent vector.</summary>
/// <param name="Id">Label written to the manifests, such as <c>c07</c>.</param>
/// <param name="Words">One word per slot of <see cref="DemoLexicon.Slots"/>: colour, texture, sound, tempo.</param>
/// <param name="WordIndices">Index of each word within its slot.</param>
/// <param name="Latent">Sum of the word embeddings; every modality renders a noisy function of it.</param>
public sealed record DemoConcept(string Id, IReadOnlyList<string> Words, IReadOnlyList<int> WordIndices, IReadOnlyList<double> Latent);

namespace FreeBind.Tests.Demo;

/// <summary>Concept-level recall at 1 for the demo world's evaluation set.</summary>
internal static class DemoRetrieval
{
    /// <summary>
    /// Returns the fraction of queries whose most cosine-similar candidate has the query's concept.
    /// Embeddings are L2-normalised already, so the dot product is the cosine.
    /// </summary>
    public static double RecallAt1(IReadOnlyList<float[]> queries, IReadOnlyList<string> queryConcepts,
        IReadOnlyList<float[]> candidates, IReadOnlyList<string> candidateConcepts)
    {
        var hits = 0;
        for (var q = 0; q < queries.Count; q++)
        {
            var best = -1;
            var bestScore = double.NegativeInfinity;
            for (var c = 0; c < candidates.Count; c++)
            {
                double score = 0;
                for (var d = 0; d < queries[q].Length; d++)
                {
                    score += queries[q][d] * candidates[c][d];
                }

                if (score > bestScore)
                {
                    bestScore = score;
                    best = c;
                }
            }

            hits += candidateConcepts[best] == queryConcepts[q] ? 1 : 0;
        }

        return (double)hits / queries.Count;
    }
}

namespace FreeBind.Bonds.Checkpoints;

/// <summary>The tensors of a state_dict under one key prefix, with lookups that explain what is wrong.</summary>
internal sealed class StateDictLayout(IReadOnlyDictionary<string, CheckpointTensor> tensors, string prefix)
{
    public bool Contains(string suffix) => tensors.ContainsKey(prefix + suffix);

    /// <summary>Returns a two-dimensional tensor, whose shape gives the layer's dimensions.</summary>
    public CheckpointTensor RequireMatrix(string suffix)
    {
        CheckpointTensor tensor = Find(suffix, "[rows, columns]");
        bool validMatrix = tensor.Shape.Length == 2
            && tensor.Shape.All(dimension => dimension > 0 && dimension <= int.MaxValue);
        if (!validMatrix)
        {
            throw new InvalidDataException(
                $"state_dict tensor '{prefix + suffix}' has shape {CheckpointTensor.FormatShape(tensor.Shape)}, "
                + "expected a Linear weight [out, in] with positive dimensions");
        }

        return tensor;
    }

    /// <summary>Returns a copy of the values of a tensor that must have <paramref name="expectedShape"/>.</summary>
    public float[] Require(string suffix, params long[] expectedShape)
    {
        CheckpointTensor tensor = Find(suffix, CheckpointTensor.FormatShape(expectedShape));
        if (!tensor.Shape.SequenceEqual(expectedShape))
        {
            throw new InvalidDataException(
                $"state_dict tensor '{prefix + suffix}' has shape {CheckpointTensor.FormatShape(tensor.Shape)}, "
                + $"expected {CheckpointTensor.FormatShape(expectedShape)}; the checkpoint does not match the projector layout "
                + "(Linear, BatchNorm1d, activation, Linear, BatchNorm1d)");
        }

        return (float[])tensor.Values.Clone();
    }

    /// <summary>Rejects keys under the prefix that the projector layout does not have, such as extra layers.</summary>
    public void RejectUnexpected(IReadOnlyCollection<string> expectedSuffixes, bool batchNorm)
    {
        List<string> unexpected = tensors.Keys
            .Where(key => key.StartsWith(prefix, StringComparison.Ordinal))
            .Where(key => !expectedSuffixes.Contains(key[prefix.Length..]))
            .ToList();
        if (unexpected.Count > 0)
        {
            string layout = batchNorm
                ? "0 Linear, 1 BatchNorm1d, 2 activation, 3 Linear, 4 BatchNorm1d"
                : "0 Linear, 1 activation, 2 Linear";
            throw new InvalidDataException(
                $"state_dict has unexpected tensors under '{prefix}': {string.Join(", ", unexpected.Select(key => $"'{key}'"))}; "
                + $"the projector layout is {layout}, so this checkpoint holds a different network");
        }
    }

    /// <summary>Lists the keys under the prefix, or a few keys when none match, for messages.</summary>
    public string DescribeKeys()
    {
        List<string> matching = tensors.Keys.Where(key => key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        List<string> shown = (matching.Count > 0 ? matching : tensors.Keys.ToList()).Take(12).ToList();
        string list = string.Join(", ", shown.Select(key => $"'{key}'"));
        return matching.Count > 0
            ? $"keys under '{prefix}': {list}"
            : $"no key starts with '{prefix}' ({tensors.Count} keys, such as {list}); pass the right prefix, or null to detect it";
    }

    private CheckpointTensor Find(string suffix, string expectedShape)
        => tensors.TryGetValue(prefix + suffix, out CheckpointTensor? tensor)
            ? tensor
            : throw new InvalidDataException(
                $"state_dict has no tensor '{prefix + suffix}' (expected shape {expectedShape}); {DescribeKeys()}");
}

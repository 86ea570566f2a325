using System.Text;

using Google.Protobuf;

using Onnx;

namespace FreeBind.Bonds.Runtime;

/// <summary>Builds ONNX models that run a <see cref="FusionPlan"/> or a projector ensemble on a batch.</summary>
/// <remarks>
/// Models use opset 17 and IR version 8. Each BatchNorm is folded into the Linear before it.
/// <see cref="FusionGraphOptions.Layout"/> chooses how the projectors of a step run: one Gemm per
/// layer and member (the default), or, for projectors that read the same input and share hidden
/// width and activation, one MatMul with their first-layer weights side by side ([in, K·hidden])
/// followed by a batched MatMul of [K, batch, hidden] with [K, hidden, out]. L2 normalisation is
/// <c>x / max(‖x‖, 1e-12)</c>, as in <c>torch.nn.functional.normalize</c>.
/// </remarks>
public static class FusionGraphBuilder
{
    /// <summary>Name of the output of every model built here: float [batch, output dimension].</summary>
    public const string OutputName = "fused";

    /// <summary>Name of the single input of a model that <see cref="BuildEnsemble"/> builds.</summary>
    public const string EnsembleInputName = "embedding";

    /// <summary>Prefix of the optional factor inputs; the bond name follows, sanitised.</summary>
    public const string FactorPrefix = "factor_";

    private const long IrVersion = 8;
    private const long Opset = 17;
    private const float NormEpsilon = 1e-12f;

    /// <summary>
    /// Builds a model that computes <paramref name="plan"/>: one float [batch, dimension] input per
    /// plan input, named by <see cref="InputName"/>, and the output <see cref="OutputName"/>.
    /// </summary>
    /// <remarks>
    /// Each step computes <c>P = normalize(mean_j normalize(projector_j(input_j)))</c>, then
    /// <c>normalize((1 − f) · keep + f · P)</c>, or just P when its factor is fixed. The running
    /// embedding starts as the base input (the plan's first). A plan with no steps outputs the base
    /// input unchanged.
    /// </remarks>
    /// <returns>The serialized model, owned by the caller.</returns>
    /// <exception cref="ArgumentException">The plan's names, dimensions, factors or weights do not fit together.</exception>
    public static byte[] Build(FusionPlan plan, FusionGraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ProjectorValidation.CheckPlan(plan);

        var writer = new OnnxGraphWriter("freebind_fusion");
        var inputNames = InputNames(plan.Inputs);
        var tensors = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Inputs.Count; i++)
        {
            writer.AddBatchInput(inputNames[i], plan.InputDimensions[i]);
            tensors[plan.Inputs[i]] = inputNames[i];
        }

        var factorNames = new HashSet<string>(inputNames, StringComparer.Ordinal) { OutputName };
        var current = inputNames[0];
        for (var s = 0; s < plan.Steps.Count; s++)
        {
            var step = plan.Steps[s];
            var prefix = $"step{s}";
            var members = step.Members
                .Select(m => (Tensor: m.Input == FusionStep.Current ? current : tensors[m.Input], m.Weights))
                .ToList();
            var projection = AddEnsemble(writer, prefix, members, options.Layout);
            if (step.FactorFixed)
            {
                current = projection;
                continue;
            }

            string factor;
            if (options.FactorInputs)
            {
                factor = FactorInputName(step.Bond);
                if (!factorNames.Add(factor))
                {
                    throw new ArgumentException(
                        $"bond '{step.Bond}': factor input '{factor}' clashes with another input of the graph; " +
                        "give the bonds distinct names or set FactorInputs to false.", nameof(plan));
                }

                writer.AddScalarInputWithDefault(factor, step.Factor);
            }
            else
            {
                factor = writer.Scalar(step.Factor);
            }

            var keep = step.Keep == FusionStep.Current ? current : tensors[step.Keep];
            var keepWeight = writer.AddNode("Sub", $"{prefix}_keep_weight", [writer.Scalar(1f), factor]);
            var keepPart = writer.AddNode("Mul", $"{prefix}_keep_part", [keepWeight, keep]);
            var projectionPart = writer.AddNode("Mul", $"{prefix}_projection_part", [factor, projection]);
            var mixed = writer.AddNode("Add", $"{prefix}_mixed", [keepPart, projectionPart]);
            current = AddNormalize(writer, $"{prefix}_out", mixed);
        }

        writer.AddIdentity(current, OutputName);
        writer.AddBatchOutput(OutputName, plan.OutputDimension);
        return Serialize(writer, $"FreeBind fusion plan for {plan.Modality}: {plan.Steps.Count} steps over {string.Join(", ", plan.Inputs)}.");
    }

    /// <summary>
    /// Builds a model for one projector set on one input: input <see cref="EnsembleInputName"/>
    /// [batch, in], output <see cref="OutputName"/> = <c>normalize(mean_j normalize(projector_j(x)))</c>.
    /// </summary>
    /// <returns>The serialized model, owned by the caller.</returns>
    /// <exception cref="ArgumentException">The list is empty, the members' dimensions differ, or weights do not match their architecture.</exception>
    public static byte[] BuildEnsemble(IReadOnlyList<ProjectorWeights> members, ProjectorLayout layout = ProjectorLayout.PerMember)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("the ensemble has no projectors; pass at least one.", nameof(members));
        }

        var first = members[0].Architecture;
        for (var k = 0; k < members.Count; k++)
        {
            ProjectorValidation.CheckWeights(members[k], $"member {k}");
            var architecture = members[k].Architecture;
            if (architecture.InputDimension != first.InputDimension || architecture.OutputDimension != first.OutputDimension)
            {
                throw new ArgumentException(
                    $"ensemble member {k} maps {architecture.InputDimension} → {architecture.OutputDimension} but member 0 maps " +
                    $"{first.InputDimension} → {first.OutputDimension}; every member must read and write the same dimensions.",
                    nameof(members));
            }
        }

        var writer = new OnnxGraphWriter("freebind_projector_ensemble");
        writer.AddBatchInput(EnsembleInputName, first.InputDimension);
        var output = AddEnsemble(writer, "ensemble", members.Select(m => (EnsembleInputName, m)).ToList(), layout);
        writer.AddIdentity(output, OutputName);
        writer.AddBatchOutput(OutputName, first.OutputDimension);
        return Serialize(writer, $"FreeBind projector ensemble: {members.Count} projectors {first.InputDimension} → {first.OutputDimension}.");
    }

    /// <summary>Returns the graph input name of a plan input: the space name with every character outside [A-Za-z0-9_] replaced by '_'.</summary>
    public static string InputName(string space) => Sanitize(space);

    /// <summary>Returns the name of the optional factor input of <paramref name="bond"/>: <c>factor_</c> and the sanitised bond name.</summary>
    public static string FactorInputName(string bond) => FactorPrefix + Sanitize(bond);

    private static string[] InputNames(IReadOnlyList<string> spaces)
    {
        var names = new string[spaces.Count];
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < spaces.Count; i++)
        {
            names[i] = InputName(spaces[i]);
            if (names[i] == OutputName || names[i].StartsWith(FactorPrefix, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"space '{spaces[i]}' gives the graph input name '{names[i]}', which is reserved for the output or a factor; rename the space.");
            }

            if (!owners.TryAdd(names[i], spaces[i]))
            {
                throw new ArgumentException(
                    $"spaces '{owners[names[i]]}' and '{spaces[i]}' both give the graph input name '{names[i]}'; " +
                    "rename one so they differ in letters, digits or '_'.");
            }
        }

        return names;
    }

    private static string Sanitize(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var builder = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return builder.ToString();
    }

    /// <summary>Adds <c>normalize(mean_j normalize(projector_j(input_j)))</c> and returns its tensor name.</summary>
    private static string AddEnsemble(
        OnnxGraphWriter writer,
        string prefix,
        IReadOnlyList<(string Tensor, ProjectorWeights Weights)> members,
        ProjectorLayout layout)
    {
        var groups = members
            .GroupBy(m => (m.Tensor, m.Weights.Architecture.HiddenDimension, Activation: m.Weights.Architecture.Activation.ToLowerInvariant()))
            .ToList();

        string? sum = null;
        for (var g = 0; g < groups.Count; g++)
        {
            var group = FoldedProjectorGroup.Create(groups[g].Select(m => m.Weights).ToList());
            var groupSum = layout == ProjectorLayout.Batched
                ? AddGroup(writer, $"{prefix}_group{g}", groups[g].Key.Tensor, group)
                : AddGroupPerMember(writer, $"{prefix}_group{g}", groups[g].Key.Tensor, group);
            sum = sum is null ? groupSum : writer.AddNode("Add", $"{prefix}_sum", [sum, groupSum]);
        }

        var mean = writer.AddNode("Mul", $"{prefix}_mean", [sum!, writer.Scalar(1f / members.Count)]);
        return AddNormalize(writer, $"{prefix}_projection", mean);
    }

    /// <summary>Adds one batched group and returns the sum over its K normalised outputs, [batch, out].</summary>
    private static string AddGroup(OnnxGraphWriter writer, string prefix, string input, FoldedProjectorGroup group)
    {
        long count = group.Count;
        long hidden = group.HiddenDimension;
        long outputs = group.OutputDimension;

        var firstWeight = writer.AddFloatInitializer(writer.UniqueName($"{prefix}_w1"), group.FirstWeight, group.InputDimension, count * hidden);
        var firstBias = writer.AddFloatInitializer(writer.UniqueName($"{prefix}_b1"), group.FirstBias, count * hidden);
        var secondWeight = writer.AddFloatInitializer(writer.UniqueName($"{prefix}_w2"), group.SecondWeight, count, hidden, outputs);
        var secondBias = writer.AddFloatInitializer(writer.UniqueName($"{prefix}_b2"), group.SecondBias, count, 1, outputs);

        var linear1 = writer.AddNode("MatMul", $"{prefix}_linear1", [input, firstWeight]);
        var biased1 = writer.AddNode("Add", $"{prefix}_biased1", [linear1, firstBias]);
        var activated = AddActivation(writer, prefix, group.Activation, biased1);

        // [batch, K·hidden] → [batch, K, hidden] → [K, batch, hidden] for the batched second layer.
        var shape = writer.AddInt64Initializer($"{prefix}_shape", -1, count, hidden);
        var split = writer.AddNode("Reshape", $"{prefix}_split", [activated, shape]);
        var perMember = writer.AddNode("Transpose", $"{prefix}_per_member", [split], OnnxGraphWriter.IntsAttribute("perm", 1, 0, 2));
        var linear2 = writer.AddNode("MatMul", $"{prefix}_linear2", [perMember, secondWeight]);
        var biased2 = writer.AddNode("Add", $"{prefix}_biased2", [linear2, secondBias]);
        var normalized = AddNormalize(writer, $"{prefix}_member", biased2);

        var axes = writer.AddInt64Initializer($"{prefix}_axes", 0);
        return writer.AddNode("ReduceSum", $"{prefix}_sum", [normalized, axes], OnnxGraphWriter.IntAttribute("keepdims", 0));
    }

    /// <summary>Adds one Gemm per layer and member and returns the sum of the K normalised outputs, [batch, out].</summary>
    private static string AddGroupPerMember(OnnxGraphWriter writer, string prefix, string input, FoldedProjectorGroup group)
    {
        string? sum = null;
        for (var k = 0; k < group.Count; k++)
        {
            var member = $"{prefix}_m{k}";
            var firstWeight = writer.AddFloatInitializer(
                writer.UniqueName($"{member}_w1"), group.MemberFirstWeight(k), group.InputDimension, group.HiddenDimension);
            var firstBias = writer.AddFloatInitializer(
                writer.UniqueName($"{member}_b1"), group.MemberFirstBias(k), group.HiddenDimension);
            var secondWeight = writer.AddFloatInitializer(
                writer.UniqueName($"{member}_w2"), group.MemberSecondWeight(k), group.HiddenDimension, group.OutputDimension);
            var secondBias = writer.AddFloatInitializer(
                writer.UniqueName($"{member}_b2"), group.MemberSecondBias(k), group.OutputDimension);

            // ONNX Runtime fuses Gemm with a following Relu, Tanh or Sigmoid into one kernel.
            var linear1 = writer.AddNode("Gemm", $"{member}_linear1", [input, firstWeight, firstBias]);
            var activated = AddActivation(writer, member, group.Activation, linear1);
            var linear2 = writer.AddNode("Gemm", $"{member}_linear2", [activated, secondWeight, secondBias]);
            var normalized = AddNormalize(writer, $"{member}_out", linear2);
            sum = sum is null ? normalized : writer.AddNode("Add", $"{prefix}_sum", [sum, normalized]);
        }

        return sum!;
    }

    private static string AddActivation(OnnxGraphWriter writer, string prefix, string activation, string input)
    {
        switch (activation)
        {
            case "relu":
                return writer.AddNode("Relu", $"{prefix}_relu", [input]);
            case "tanh":
                return writer.AddNode("Tanh", $"{prefix}_tanh", [input]);
            case "silu":
                var sigmoid = writer.AddNode("Sigmoid", $"{prefix}_sigmoid", [input]);
                return writer.AddNode("Mul", $"{prefix}_silu", [input, sigmoid]);
            case "gelu":
                // Exact GELU: 0.5 · x · (1 + erf(x / √2)).
                var scaled = writer.AddNode("Mul", $"{prefix}_gelu_scaled", [input, writer.Scalar((float)(1 / Math.Sqrt(2)))]);
                var erf = writer.AddNode("Erf", $"{prefix}_gelu_erf", [scaled]);
                var shifted = writer.AddNode("Add", $"{prefix}_gelu_shifted", [erf, writer.Scalar(1f)]);
                var gated = writer.AddNode("Mul", $"{prefix}_gelu_gated", [input, shifted]);
                return writer.AddNode("Mul", $"{prefix}_gelu", [gated, writer.Scalar(0.5f)]);
            default:
                throw new ArgumentException($"activation '{activation}' is not supported; use relu, gelu, silu or tanh.");
        }
    }

    /// <summary>Adds <c>x / max(‖x‖₂, 1e-12)</c> over the last axis.</summary>
    private static string AddNormalize(OnnxGraphWriter writer, string prefix, string input)
    {
        var norm = writer.AddNode(
            "ReduceL2",
            $"{prefix}_norm",
            [input],
            OnnxGraphWriter.IntsAttribute("axes", -1),
            OnnxGraphWriter.IntAttribute("keepdims", 1));
        var clamped = writer.AddNode("Max", $"{prefix}_norm_clamped", [norm, writer.Scalar(NormEpsilon)]);
        return writer.AddNode("Div", $"{prefix}_normalized", [input, clamped]);
    }

    private static byte[] Serialize(OnnxGraphWriter writer, string description)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "FreeBind.NET",
            DocString = description,
            Graph = writer.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }
}

using FreeBind.Media;

namespace FreeBind.Bonds.Graph;

/// <summary>Compiles a <see cref="BondFile"/> into a <see cref="FusionPlan"/> for one modality and one set of factors.</summary>
/// <remarks>
/// Factor precedence, highest first: a request's overrides, the named profile, the bond's default.
/// A combination bond whose experts do not embed the modality is skipped. A displacement bond
/// whose experts do not embed it replaces the running embedding by the projection, with the
/// factor fixed at 1.
/// </remarks>
public static class BondCompiler
{
    /// <summary>Compiles the plan that fuses <paramref name="modality"/>.</summary>
    /// <param name="file">A loaded bond file.</param>
    /// <param name="modality">Modality to fuse; one of <see cref="FusedModalities"/>.</param>
    /// <param name="profile">Name of a profile in the file, or null for the bonds' default factors.</param>
    /// <param name="overrides">Factors for this request: bond name → modality → factor; they win over the profile.</param>
    /// <exception cref="BondFileException">
    /// The modality is not fused, the profile is unknown, or an override names an unknown bond, a
    /// value outside [0, 1], or a modality the bond does not mix.
    /// </exception>
    public static FusionPlan Compile(
        BondFile file,
        Modality modality,
        string? profile = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<Modality, float>>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var baseSpace = file.BaseSpace;
        if (!baseSpace.Covers(modality))
        {
            // NOTE: a modality that only a displacement expert embeds is not fused: the plan would
            // have to start from that expert's embedding, not from the base space.
            throw new BondFileException(
                $"bond file '{file.Name}' does not fuse {modality.ToName()}: the base space '{baseSpace.Name}' " +
                $"embeds only {string.Join(", ", FusedModalities(file).Select(m => m.ToName()))}.");
        }

        var profileFactors = ResolveProfile(file, profile);
        CheckOverrides(file, overrides);

        var inputs = new List<string> { baseSpace.Name };
        var steps = new List<FusionStep>();
        var running = baseSpace;
        foreach (var bond in file.Bonds)
        {
            var role = BondStepRules.RoleOf(bond, modality, file.Spaces);
            if (role == BondStepRole.Skip)
            {
                continue;
            }

            var step = bond.Kind == BondKind.Combination
                ? CombinationStep(file, bond, modality, running, FactorOf(bond, modality, profileFactors, overrides))
                : DisplacementStep(file, bond, modality, role, profileFactors, overrides);
            steps.Add(step);
            AddInputs(inputs, step);
            if (bond.Kind == BondKind.Displacement)
            {
                running = file.Spaces[bond.Experts[0]];
            }
        }

        var plan = new FusionPlan(
            modality,
            inputs,
            inputs.Select(input => file.Spaces[input].Dimension).ToList(),
            steps,
            running.Dimension);
        CheckDimensions(plan);
        return plan;
    }

    /// <summary>Compiles one plan per fused modality.</summary>
    /// <exception cref="BondFileException">The profile or an override is invalid; see <see cref="Compile"/>.</exception>
    public static IReadOnlyDictionary<Modality, FusionPlan> CompileAll(
        BondFile file,
        string? profile = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<Modality, float>>? overrides = null) =>
        FusedModalities(file).ToDictionary(modality => modality, modality => Compile(file, modality, profile, overrides));

    /// <summary>Returns the modalities the fused space embeds: those of the base space, in enum order.</summary>
    public static IReadOnlyList<Modality> FusedModalities(BondFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.BaseSpace.Modalities.Order().ToList();
    }

    /// <summary>
    /// Returns the factor each step of <paramref name="plan"/> uses, by bond name, for writing into
    /// output rows; a replacement step reports its fixed factor 1.
    /// </summary>
    public static IReadOnlyDictionary<string, float> EffectiveFactors(FusionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Steps.ToDictionary(step => step.Bond, step => step.Factor, StringComparer.Ordinal);
    }

    private static FusionStep CombinationStep(
        BondFile file, BondSpec bond, Modality modality, BondSpaceSpec running, float factor)
    {
        // Each expert that embeds the modality contributes its projectors, each reading that
        // expert's embedding; the running embedding is kept.
        var members = bond.Experts
            .Where(expert => file.Spaces[expert].Covers(modality))
            .SelectMany(expert => MembersOf(bond, expert, input: expert))
            .ToList();
        return new FusionStep(bond.Name, FusionStep.Current, factor, false, members, running.Dimension);
    }

    private static FusionStep DisplacementStep(
        BondFile file,
        BondSpec bond,
        Modality modality,
        BondStepRole role,
        IReadOnlyDictionary<string, IReadOnlyDictionary<Modality, float>>? profileFactors,
        IReadOnlyDictionary<string, IReadOnlyDictionary<Modality, float>>? overrides)
    {
        // Every expert's projectors read the running embedding; all experts share one dimension.
        var members = bond.Experts
            .SelectMany(expert => MembersOf(bond, expert, input: FusionStep.Current))
            .ToList();
        var dimension = file.Spaces[bond.Experts[0]].Dimension;
        if (role == BondStepRole.Replace)
        {
            return new FusionStep(bond.Name, FusionStep.Current, 1f, true, members, dimension);
        }

        // NOTE: a parallel displacement keeps the embedding of its first expert that embeds the
        // modality; the projection still averages the projectors of all its experts.
        var keep = bond.Experts.First(expert => file.Spaces[expert].Covers(modality));
        var factor = FactorOf(bond, modality, profileFactors, overrides);
        return new FusionStep(bond.Name, keep, factor, false, members, dimension);
    }

    private static IEnumerable<ProjectorMember> MembersOf(BondSpec bond, string expert, string input)
    {
        var set = bond.ProjectorSets[expert];
        return set.Members
            .OrderBy(member => member.Key, StringComparer.Ordinal)
            .Select(member => new ProjectorMember(input, member.Value, $"{set.Name}/{member.Key}"));
    }

    private static float FactorOf(
        BondSpec bond,
        Modality modality,
        IReadOnlyDictionary<string, IReadOnlyDictionary<Modality, float>>? profileFactors,
        IReadOnlyDictionary<string, IReadOnlyDictionary<Modality, float>>? overrides)
    {
        if (overrides is not null
            && overrides.TryGetValue(bond.Name, out var overridden)
            && overridden.TryGetValue(modality, out var overrideFactor))
        {
            return overrideFactor;
        }

        if (profileFactors is not null
            && profileFactors.TryGetValue(bond.Name, out var profiled)
            && profiled.TryGetValue(modality, out var profileFactor))
        {
            return profileFactor;
        }

        // Load validation guarantees a default for every modality the bond mixes.
        return bond.Factors[modality];
    }

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<Modality, float>>? ResolveProfile(
        BondFile file, string? profile)
    {
        if (profile is null)
        {
            return null;
        }

        if (!file.Profiles.TryGetValue(profile, out var factors))
        {
            var declared = file.Profiles.Count == 0 ? "(none)" : string.Join(", ", file.Profiles.Keys);
            throw new BondFileException(
                $"profile '{profile}' is not declared in bond file '{file.Name}'; declared profiles: {declared}.");
        }

        return factors;
    }

    private static void CheckOverrides(
        BondFile file, IReadOnlyDictionary<string, IReadOnlyDictionary<Modality, float>>? overrides)
    {
        foreach (var (bondName, factors) in overrides ?? new Dictionary<string, IReadOnlyDictionary<Modality, float>>())
        {
            var bond = file.Bonds.FirstOrDefault(candidate => candidate.Name == bondName)
                ?? throw new BondFileException(
                    $"factor override for bond '{bondName}': no such bond in bond file '{file.Name}'; declared bonds: " +
                    string.Join(", ", file.Bonds.Select(candidate => candidate.Name)) + ".");
            foreach (var (modality, value) in factors)
            {
                var problem = BondStepRules.CheckFactor(bond, modality, value, file.BaseSpace, file.Spaces);
                if (problem is not null)
                {
                    throw new BondFileException($"factor override for bond '{bondName}': {problem}.");
                }
            }
        }
    }

    private static void AddInputs(List<string> inputs, FusionStep step)
    {
        var read = step.Members.Select(member => member.Input).Prepend(step.Keep);
        foreach (var input in read)
        {
            if (input != FusionStep.Current && !inputs.Contains(input))
            {
                inputs.Add(input);
            }
        }
    }

    /// <summary>
    /// Checks that every mixing step keeps an embedding of its output dimension and that every
    /// projector maps its input's dimension to the step's. Load validation already checked the
    /// chain, so a failure here is a bug, not a user error.
    /// </summary>
    private static void CheckDimensions(FusionPlan plan)
    {
        var dimensions = plan.Inputs
            .Zip(plan.InputDimensions)
            .ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal);
        var current = plan.InputDimensions[0];
        foreach (var step in plan.Steps)
        {
            // A fixed replacement step never reads its kept embedding, which may have another dimension.
            var keep = step.Keep == FusionStep.Current ? current : dimensions[step.Keep];
            if (!step.FactorFixed && keep != step.OutputDimension)
            {
                throw new InvalidOperationException(
                    $"bond '{step.Bond}': kept embedding '{step.Keep}' has dimension {keep}, step output {step.OutputDimension}.");
            }

            foreach (var member in step.Members)
            {
                var input = member.Input == FusionStep.Current ? current : dimensions[member.Input];
                var architecture = member.Weights.Architecture;
                if (architecture.InputDimension != input || architecture.OutputDimension != step.OutputDimension)
                {
                    throw new InvalidOperationException(
                        $"bond '{step.Bond}': projector '{member.Label}' maps {architecture.InputDimension} → " +
                        $"{architecture.OutputDimension}, the step needs {input} → {step.OutputDimension}.");
                }
            }

            current = step.OutputDimension;
        }

        if (current != plan.OutputDimension)
        {
            throw new InvalidOperationException(
                $"plan for {plan.Modality.ToName()} ends at dimension {current}, expected {plan.OutputDimension}.");
        }
    }
}

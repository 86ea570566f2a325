using FreeBind.Media;

namespace FreeBind.Bonds.Graph;

/// <summary>
/// Validates a bond file as written, loads its projector sets and resolves names. It collects
/// every problem, so one load reports all of them.
/// </summary>
internal sealed class BondFileBuilder(
    BondFileJson source, string baseDirectory, Func<string, ProjectorSet> loadProjectorSet)
{
    private const string ModalityHint = "use image, text or audio";

    private readonly List<string> problems = [];

    // One entry per bond in file order; null where the bond is too broken to place in the chain.
    private readonly List<BondSpec?> chain = [];

    private readonly HashSet<string> declaredBondNames = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Problems => problems;

    public Dictionary<string, BondSpaceSpec> Spaces { get; } = new(StringComparer.Ordinal);

    public List<BondSpec> Bonds { get; } = [];

    public Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<Modality, float>>> Profiles { get; }
        = new(StringComparer.Ordinal);

    public BondSpaceSpec? BaseSpace { get; private set; }

    public void Build()
    {
        if (string.IsNullOrWhiteSpace(source.Name))
        {
            problems.Add("\"name\" is missing: name the fused space (written to output rows)");
        }

        ReadSpaces();
        ReadBase();
        ReadBonds();
        if (BaseSpace is not null)
        {
            CheckChain(BaseSpace);
            ReadProfiles(BaseSpace);
        }
    }

    private void ReadSpaces()
    {
        if (source.Spaces is null || source.Spaces.Count == 0)
        {
            problems.Add("\"spaces\" is missing: declare the base space and every expert space");
            return;
        }

        foreach (var (name, space) in source.Spaces)
        {
            var valid = true;
            if (space.Dimension <= 0)
            {
                problems.Add($"space '{name}': \"dimension\" is {space.Dimension}: give the embedding dimension (> 0)");
                valid = false;
            }

            var modalities = new HashSet<Modality>();
            foreach (var modalityName in space.Modalities ?? [])
            {
                var modality = BondStepRules.ParseModality(modalityName);
                if (modality is null)
                {
                    problems.Add($"space '{name}': unknown modality '{modalityName}': {ModalityHint}");
                    valid = false;
                }
                else if (!modalities.Add(modality.Value))
                {
                    problems.Add($"space '{name}': modality '{modalityName}' is listed twice");
                }
            }

            if (modalities.Count == 0 && valid)
            {
                problems.Add($"space '{name}': \"modalities\" is empty: list the modalities it embeds");
                valid = false;
            }

            if (valid)
            {
                Spaces[name] = new BondSpaceSpec(name, space.Dimension, modalities);
            }
        }
    }

    private void ReadBase()
    {
        if (string.IsNullOrWhiteSpace(source.Base))
        {
            problems.Add("\"base\" is missing: name the unified space the bonds enhance");
            return;
        }

        if (Spaces.TryGetValue(source.Base, out var baseSpace))
        {
            BaseSpace = baseSpace;
        }
        else if (source.Spaces?.ContainsKey(source.Base) != true)
        {
            problems.Add($"base space '{source.Base}' is not declared under \"spaces\"; declared: {DeclaredSpaces()}");
        }
    }

    private void ReadBonds()
    {
        var bonds = source.Bonds ?? [];
        for (var index = 0; index < bonds.Count; index++)
        {
            var bond = bonds[index];
            var label = string.IsNullOrWhiteSpace(bond.Name) ? $"#{index + 1}" : bond.Name;
            var errorsBefore = problems.Count;
            if (string.IsNullOrWhiteSpace(bond.Name))
            {
                problems.Add($"bond #{index + 1}: \"name\" is missing: name every bond");
            }
            else if (!declaredBondNames.Add(bond.Name))
            {
                problems.Add($"bond '{label}' is declared twice: give each bond a unique name");
            }

            var resolved = ReadBond(bond, label);
            var placeable = resolved is not null && problems.Count == errorsBefore;
            chain.Add(placeable ? resolved : null);
            if (placeable)
            {
                Bonds.Add(resolved!);
            }
        }
    }

    private BondSpec? ReadBond(BondJson bond, string label)
    {
        BondKind? kind = bond.Kind?.Trim().ToLowerInvariant() switch
        {
            "combination" => BondKind.Combination,
            "displacement" => BondKind.Displacement,
            _ => null,
        };
        if (kind is null)
        {
            problems.Add(bond.Kind is null
                ? $"bond '{label}': \"kind\" is missing: use combination or displacement"
                : $"bond '{label}': kind '{bond.Kind}' is unknown: use combination or displacement");
        }

        var experts = ReadExperts(bond, label);
        var factors = ReadFactors(bond, label);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var sets = new Dictionary<string, ProjectorSet>(StringComparer.Ordinal);
        foreach (var extra in (bond.Projectors ?? []).Keys.Where(key => !experts.Contains(key)))
        {
            problems.Add($"bond '{label}': projectors are given for '{extra}', which is not one of its experts");
        }

        foreach (var expert in experts)
        {
            var set = LoadSet(bond, label, expert, out var fullPath);
            if (set is not null)
            {
                paths[expert] = fullPath!;
                sets[expert] = set;
            }
        }

        if (kind == BondKind.Displacement)
        {
            CheckDisplacementDimensions(label, experts);
        }

        if (kind is null || experts.Count == 0 || sets.Count != experts.Count)
        {
            return null;
        }

        return new BondSpec(bond.Name ?? label, kind.Value, experts, paths, sets, factors);
    }

    private List<string> ReadExperts(BondJson bond, string label)
    {
        var experts = new List<string>();
        if (bond.Experts is null || bond.Experts.Count == 0)
        {
            problems.Add($"bond '{label}': \"experts\" is empty: list at least one expert space");
            return experts;
        }

        foreach (var expert in bond.Experts)
        {
            if (experts.Contains(expert))
            {
                problems.Add($"bond '{label}': expert '{expert}' is listed twice");
            }
            else if (!Spaces.ContainsKey(expert))
            {
                if (source.Spaces?.ContainsKey(expert) != true)
                {
                    problems.Add(
                        $"bond '{label}': expert space '{expert}' is not declared under \"spaces\"; " +
                        $"declared: {DeclaredSpaces()}");
                }
                else
                {
                    // The space itself is invalid and already reported; the bond cannot be placed.
                    problems.Add($"bond '{label}': expert space '{expert}' is invalid (see its problem above)");
                }
            }
            else
            {
                experts.Add(expert);
            }
        }

        return experts;
    }

    private Dictionary<Modality, float> ReadFactors(BondJson bond, string label)
    {
        var factors = new Dictionary<Modality, float>();
        foreach (var (modalityName, value) in bond.Factors ?? [])
        {
            var modality = BondStepRules.ParseModality(modalityName);
            if (modality is null)
            {
                problems.Add($"bond '{label}': factor for unknown modality '{modalityName}': {ModalityHint}");
            }
            else if (!(value >= 0f && value <= 1f))
            {
                problems.Add(
                    $"bond '{label}': factor {value} for '{modalityName}' is outside [0, 1]: " +
                    "use a value from 0 (keep) to 1 (projection)");
            }
            else
            {
                factors[modality.Value] = value;
            }
        }

        return factors;
    }

    private ProjectorSet? LoadSet(BondJson bond, string label, string expert, out string? fullPath)
    {
        fullPath = null;
        if (bond.Projectors is null
            || !bond.Projectors.TryGetValue(expert, out var path)
            || string.IsNullOrWhiteSpace(path))
        {
            problems.Add(
                $"bond '{label}': no projector folder for expert '{expert}': add \"{expert}\": \"FOLDER\" under \"projectors\"");
            return null;
        }

        fullPath = Path.GetFullPath(Path.Combine(baseDirectory, path));
        ProjectorSet? set;
        try
        {
            set = loadProjectorSet(fullPath);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The reader is pluggable, so its exception types are not known here. Any failure is
            // reported with the bond and path.
            problems.Add(
                $"bond '{label}': projector set for expert '{expert}' at '{path}' failed to load: {exception.Message}");
            return null;
        }

        if (set is null || set.Members.Count == 0)
        {
            problems.Add($"bond '{label}': projector set for expert '{expert}' at '{path}' has no projectors");
            return null;
        }

        var shapeProblems = set.Members
            .OrderBy(member => member.Key, StringComparer.Ordinal)
            .SelectMany(member => CheckShapes(member.Value, $"{set.Name}/{member.Key}"))
            .Select(problem => $"bond '{label}': {problem}")
            .ToList();
        problems.AddRange(shapeProblems);
        return shapeProblems.Count == 0 ? set : null;
    }

    private static IEnumerable<string> CheckShapes(ProjectorWeights weights, string projector)
    {
        var architecture = weights.Architecture;
        var input = architecture.InputDimension;
        var hidden = architecture.HiddenDimension;
        var output = architecture.OutputDimension;
        if (input <= 0 || hidden <= 0 || output <= 0)
        {
            yield return $"projector '{projector}' declares dimensions {input} → {hidden} → {output}: all must be > 0";
            yield break;
        }

        var arrays = new (string Name, float[]? Values, int Expected)[]
        {
            ("Weight1", weights.Weight1, hidden * input),
            ("Bias1", weights.Bias1, hidden),
            ("Weight2", weights.Weight2, output * hidden),
            ("Bias2", weights.Bias2, output),
        };
        if (architecture.BatchNorm)
        {
            arrays =
            [
                .. arrays,
                ("Norm1Scale", weights.Norm1Scale, hidden),
                ("Norm1Shift", weights.Norm1Shift, hidden),
                ("Norm1RunningMean", weights.Norm1RunningMean, hidden),
                ("Norm1RunningVariance", weights.Norm1RunningVariance, hidden),
                ("Norm2Scale", weights.Norm2Scale, output),
                ("Norm2Shift", weights.Norm2Shift, output),
                ("Norm2RunningMean", weights.Norm2RunningMean, output),
                ("Norm2RunningVariance", weights.Norm2RunningVariance, output),
            ];
        }

        foreach (var (name, values, expected) in arrays)
        {
            if (values is null || values.Length != expected)
            {
                yield return $"projector '{projector}': {name} has {values?.Length ?? 0} values, expected {expected}";
            }
        }
    }

    private void CheckDisplacementDimensions(string label, List<string> experts)
    {
        var dimensions = experts.Select(expert => Spaces[expert].Dimension).Distinct().ToList();
        if (dimensions.Count > 1)
        {
            var listed = string.Join(", ", experts.Select(expert => $"{expert} {Spaces[expert].Dimension}"));
            problems.Add(
                $"bond '{label}': parallel displacement experts have different dimensions ({listed}): " +
                "a displacement moves the space into one dimension; split it into sequential bonds");
        }
    }

    /// <summary>
    /// Walks the bonds in order, checking each projector's dimensions against its place in the
    /// chain and each factor against the modalities the bond mixes.
    /// </summary>
    private void CheckChain(BondSpaceSpec baseSpace)
    {
        var running = baseSpace;
        foreach (var bond in chain)
        {
            if (bond is null)
            {
                // Later dimensions depend on this bond; its own problems are already reported.
                return;
            }

            CheckProjectorDimensions(bond, running);
            CheckBondFactors(bond, baseSpace);
            if (bond.Kind == BondKind.Displacement)
            {
                running = Spaces[bond.Experts[0]];
            }
        }
    }

    private void CheckProjectorDimensions(BondSpec bond, BondSpaceSpec running)
    {
        foreach (var expert in bond.Experts)
        {
            var expertSpace = Spaces[expert];
            var set = bond.ProjectorSets[expert];
            foreach (var (dataMode, weights) in set.Members.OrderBy(member => member.Key, StringComparer.Ordinal))
            {
                var projector = $"{set.Name}/{dataMode}";
                var (expectedInput, inputSource, expectedOutput, outputSource) = bond.Kind == BondKind.Combination
                    ? (expertSpace.Dimension, $"expert '{expert}'", running.Dimension, $"running space '{running.Name}'")
                    : (running.Dimension, $"running space '{running.Name}'", expertSpace.Dimension, $"expert '{expert}'");
                var architecture = weights.Architecture;
                if (architecture.InputDimension != expectedInput)
                {
                    problems.Add(
                        $"bond '{bond.Name}': projector '{projector}' input dimension is {architecture.InputDimension}, " +
                        $"expected {expectedInput} ({inputSource})");
                }

                if (architecture.OutputDimension != expectedOutput)
                {
                    problems.Add(
                        $"bond '{bond.Name}': projector '{projector}' output dimension is {architecture.OutputDimension}, " +
                        $"expected {expectedOutput} ({outputSource})");
                }
            }
        }
    }

    private void CheckBondFactors(BondSpec bond, BondSpaceSpec baseSpace)
    {
        foreach (var (modality, value) in bond.Factors)
        {
            var problem = BondStepRules.CheckFactor(bond, modality, value, baseSpace, Spaces);
            if (problem is not null)
            {
                problems.Add($"bond '{bond.Name}': {problem}");
            }
        }

        foreach (var modality in baseSpace.Modalities.Order())
        {
            var mixes = BondStepRules.RoleOf(bond, modality, Spaces) == BondStepRole.Mix;
            if (mixes && !bond.Factors.ContainsKey(modality))
            {
                problems.Add(
                    $"bond '{bond.Name}' has no factor for '{modality.ToName()}', which it mixes: " +
                    $"add \"{modality.ToName()}\" under \"factors\"");
            }
        }
    }

    private void ReadProfiles(BondSpaceSpec baseSpace)
    {
        foreach (var (profile, bonds) in source.Profiles ?? [])
        {
            var resolved = new Dictionary<string, IReadOnlyDictionary<Modality, float>>(StringComparer.Ordinal);
            foreach (var (bondName, factors) in bonds ?? [])
            {
                var bond = Bonds.FirstOrDefault(candidate => candidate.Name == bondName);
                if (bond is null)
                {
                    // A declared bond that failed validation is already reported.
                    if (!declaredBondNames.Contains(bondName))
                    {
                        problems.Add(
                            $"profile '{profile}': bond '{bondName}' is not declared; declared bonds: " +
                            string.Join(", ", declaredBondNames));
                    }

                    continue;
                }

                var bondFactors = new Dictionary<Modality, float>();
                foreach (var (modalityName, value) in factors ?? [])
                {
                    var modality = BondStepRules.ParseModality(modalityName);
                    var problem = modality is null
                        ? $"factor for unknown modality '{modalityName}': {ModalityHint}"
                        : BondStepRules.CheckFactor(bond, modality.Value, value, baseSpace, Spaces);
                    if (problem is not null)
                    {
                        problems.Add($"profile '{profile}', bond '{bondName}': {problem}");
                    }
                    else
                    {
                        bondFactors[modality!.Value] = value;
                    }
                }

                resolved[bondName] = bondFactors;
            }

            Profiles[profile] = resolved;
        }
    }

    private string DeclaredSpaces() =>
        source.Spaces is null || source.Spaces.Count == 0 ? "(none)" : string.Join(", ", source.Spaces.Keys);
}

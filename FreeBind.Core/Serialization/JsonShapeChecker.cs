using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FreeBind.Serialization;

/// <summary>
/// Checks a JSON document against the serializer contract of the type it will be read into,
/// before the serializer runs: unknown keys, values of the wrong JSON kind, unknown enum names
/// and missing or unknown type discriminators. Each problem names the path and line.
/// </summary>
/// <remarks>
/// The serializer ignores unknown keys and reports type mismatches with .NET type names, so a
/// misspelt key in a hand-written file is either silently dropped or reported far from its cause.
/// </remarks>
internal sealed class JsonShapeChecker
{
    private readonly JsonSerializerOptions options;
    private readonly byte[] utf8;
    private readonly List<string> problems = [];

    private JsonShapeChecker(JsonSerializerOptions options, byte[] utf8)
    {
        this.options = options;
        this.utf8 = utf8;
    }

    /// <summary>
    /// Returns one message per problem, each starting with the JSON path and line, for example
    /// <c>spaces[0].encoders[1] (line 9): unknown key 'modalty': did you mean 'modality'?</c>.
    /// Empty when the document fits <paramref name="type"/>.
    /// </summary>
    /// <param name="json">The document; comments and trailing commas follow <paramref name="options"/>.</param>
    /// <param name="type">Type the document will be deserialized into.</param>
    /// <param name="options">The options the caller deserializes with.</param>
    public static IReadOnlyList<string> Check(string json, Type type, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(json);
        options.MakeReadOnly(populateMissingResolver: true);

        var checker = new JsonShapeChecker(options, Encoding.UTF8.GetBytes(json));
        var reader = new Utf8JsonReader(checker.utf8, new JsonReaderOptions
        {
            CommentHandling = options.ReadCommentHandling,
            AllowTrailingCommas = options.AllowTrailingCommas,
        });
        try
        {
            if (!reader.Read())
            {
                return ["the file is empty"];
            }

            checker.CheckValue(ref reader, options.GetTypeInfo(type), "");
            while (reader.Read())
            {
                // Reading to the end reports anything after the top-level value.
            }
        }
        catch (JsonException exception)
        {
            var line = exception.LineNumber is { } number ? number + 1 : 0;
            var column = exception.BytePositionInLine is { } position ? position + 1 : 0;
            checker.problems.Add($"invalid JSON at line {line}, column {column}: {StripPosition(exception.Message)}");
        }

        return checker.problems;
    }

    /// <summary>
    /// Rewrites a serializer error into a message with the JSON path and line and without .NET type
    /// names, for errors that <see cref="Check"/> does not catch first (e.g. a number out of range).
    /// </summary>
    public static string Describe(JsonException exception)
    {
        var path = DisplayPath(exception.Path ?? "$");
        var line = exception.LineNumber is { } number ? $" (line {number + 1})" : "";
        return $"{(path.Length == 0 ? "the top level" : path)}{line}: invalid value, out of range or of the wrong type";
    }

    private void CheckValue(ref Utf8JsonReader reader, JsonTypeInfo info, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                CheckObject(ref reader, info, path);
                break;
            case JsonTypeInfoKind.Enumerable:
                CheckArray(ref reader, info, path);
                break;
            case JsonTypeInfoKind.Dictionary:
                CheckDictionary(ref reader, info, path);
                break;
            default:
                CheckScalar(ref reader, info.Type, path);
                break;
        }
    }

    private void CheckObject(ref Utf8JsonReader reader, JsonTypeInfo info, string path)
    {
        if (!ExpectKind(ref reader, JsonTokenType.StartObject, "an object", path))
        {
            return;
        }

        var discriminator = info.PolymorphismOptions?.TypeDiscriminatorPropertyName;
        if (info.PolymorphismOptions is { } polymorphism)
        {
            var derived = FindDerivedType(reader, polymorphism, path);
            if (derived is null)
            {
                reader.Skip();
                return;
            }

            info = derived;
        }

        var known = info.Properties.ToDictionary(
            property => property.Name, StringComparer.OrdinalIgnoreCase);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            var line = LineOf(reader.TokenStartIndex);
            reader.Read();
            if (discriminator is not null && string.Equals(key, discriminator, StringComparison.OrdinalIgnoreCase))
            {
                reader.Skip();
                continue;
            }

            if (!known.TryGetValue(key, out var property))
            {
                AddUnknownKey(key, path, line, known.Keys.Select(CamelCase).Append(discriminator));
                reader.Skip();
                continue;
            }

            CheckValue(ref reader, options.GetTypeInfo(property.PropertyType), Join(path, CamelCase(property.Name)));
        }
    }

    private JsonTypeInfo? FindDerivedType(
        Utf8JsonReader lookahead, JsonPolymorphismOptions polymorphism, string path)
    {
        // The reader is a struct, so this scan leaves the caller's position unchanged.
        var name = polymorphism.TypeDiscriminatorPropertyName;
        var kinds = string.Join(", ", polymorphism.DerivedTypes.Select(derived => derived.TypeDiscriminator));
        var line = LineOf(lookahead.TokenStartIndex);
        var depth = lookahead.CurrentDepth;
        while (lookahead.Read() && lookahead.CurrentDepth > depth)
        {
            if (lookahead.TokenType != JsonTokenType.PropertyName || lookahead.CurrentDepth != depth + 1)
            {
                continue;
            }

            var isDiscriminator = string.Equals(lookahead.GetString(), name, StringComparison.OrdinalIgnoreCase);
            lookahead.Read();
            if (!isDiscriminator)
            {
                lookahead.Skip();
                continue;
            }

            var value = lookahead.TokenType == JsonTokenType.String ? lookahead.GetString() : null;
            var match = polymorphism.DerivedTypes.FirstOrDefault(
                derived => string.Equals(derived.TypeDiscriminator?.ToString(), value, StringComparison.Ordinal));
            if (match.DerivedType is null)
            {
                Add(Join(path, name), LineOf(lookahead.TokenStartIndex), $"invalid {name} '{value}': use {kinds}");
                return null;
            }

            return options.GetTypeInfo(match.DerivedType);
        }

        Add(path, line, $"missing key '{name}': add \"{name}\" with one of {kinds}");
        return null;
    }

    private void CheckArray(ref Utf8JsonReader reader, JsonTypeInfo info, string path)
    {
        if (!ExpectKind(ref reader, JsonTokenType.StartArray, "an array", path))
        {
            return;
        }

        var element = options.GetTypeInfo(info.ElementType!);
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            CheckValue(ref reader, element, $"{path}[{index}]");
            index++;
        }
    }

    private void CheckDictionary(ref Utf8JsonReader reader, JsonTypeInfo info, string path)
    {
        if (!ExpectKind(ref reader, JsonTokenType.StartObject, "an object of named entries", path))
        {
            return;
        }

        var element = options.GetTypeInfo(info.ElementType!);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            CheckValue(ref reader, element, Join(path, key));
        }
    }

    private void CheckScalar(ref Utf8JsonReader reader, Type type, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var token = reader.TokenType;
        if (type.IsEnum)
        {
            CheckEnum(ref reader, type, path);
            return;
        }

        var (expected, fits) = Type.GetTypeCode(type) switch
        {
            TypeCode.String => ("a string", token == JsonTokenType.String),
            TypeCode.Boolean => ("true or false", token is JsonTokenType.True or JsonTokenType.False),
            TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 or TypeCode.Byte
                or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64 => ("a whole number", token == JsonTokenType.Number),
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => ("a number", token == JsonTokenType.Number),
            _ => ("", true),
        };
        if (!fits)
        {
            Add(path, LineOf(reader.TokenStartIndex), $"expected {expected}, found {Describe(token)}");
        }

        reader.Skip();
    }

    private void CheckEnum(ref Utf8JsonReader reader, Type type, string path)
    {
        var names = Enum.GetNames(type).Select(name => name.ToLowerInvariant()).ToList();
        var line = LineOf(reader.TokenStartIndex);
        if (reader.TokenType != JsonTokenType.String)
        {
            Add(path, line, $"expected one of {string.Join(", ", names)}, found {Describe(reader.TokenType)}");
            reader.Skip();
            return;
        }

        var value = reader.GetString()!;
        if (!names.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            Add(path, line, $"invalid value '{value}': use {string.Join(", ", names)}");
        }
    }

    private bool ExpectKind(ref Utf8JsonReader reader, JsonTokenType start, string expected, string path)
    {
        if (reader.TokenType == start)
        {
            return true;
        }

        Add(path, LineOf(reader.TokenStartIndex), $"expected {expected}, found {Describe(reader.TokenType)}");
        reader.Skip();
        return false;
    }

    private void AddUnknownKey(string key, string path, int line, IEnumerable<string?> knownKeys)
    {
        var candidates = knownKeys.OfType<string>().Distinct().ToList();
        var closest = NameMatcher.Closest(key, candidates);
        var hint = closest is not null
            ? $"did you mean '{closest}'?"
            : $"remove it; known keys: {string.Join(", ", candidates)}";
        Add(path, line, $"unknown key '{key}': {hint}");
    }

    private void Add(string path, int line, string message) =>
        problems.Add($"{(path.Length == 0 ? "top level" : path)} (line {line}): {message}");

    private int LineOf(long byteIndex) =>
        utf8.AsSpan(0, (int)Math.Min(byteIndex, utf8.Length)).Count((byte)'\n') + 1;

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true/false",
        _ => "null",
    };

    private static string CamelCase(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string DisplayPath(string jsonPath) =>
        jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');

    private static string StripPosition(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}

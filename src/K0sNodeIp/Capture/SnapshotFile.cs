using System.Text.Encodings.Web;
using System.Text.Json;

namespace K0sNodeIp.Capture;

/// <summary>Writes and reads --snapshot files: the schema name and version are checked before anything else is read.</summary>
internal static class SnapshotFile
{
    // Relaxed escaping keeps '+', '<' and non-ASCII readable in the copied files; the output is a file, never HTML.
    private static readonly SnapshotJsonContext Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // A null where the schema has none ("hostname": null, as a hand redaction leaves it) is an error, not a crash later.
        RespectNullableAnnotations = true,
    });

    public static string Serialize(SnapshotDocument document) => JsonSerializer.Serialize(document, Json.SnapshotDocument) + "\n";

    /// <summary>Reads <paramref name="path"/> ("-": standard input).</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="SnapshotException">It is not a snapshot this version can replay; the message says why.</exception>
    public static SnapshotDocument Read(string path, TextReader? standardInput = null)
    {
        // File.ReadAllText drops a UTF-8 byte order mark; standard input keeps it.
        var text = path == "-" ? (standardInput ?? Console.In).ReadToEnd().TrimStart('\uFEFF') : File.ReadAllText(path);
        return Parse(text, path == "-" ? "standard input" : path);
    }

    /// <exception cref="SnapshotException">It is not a snapshot this version can replay; the message says why.</exception>
    public static SnapshotDocument Parse(string text, string origin)
    {
        JsonElement root;
        try
        {
            using var parsed = JsonDocument.Parse(text);
            root = parsed.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new SnapshotException($"{origin} is not a k0s-node-ip snapshot: not JSON ({e.Message})", e);
        }

        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("schema", out var schema)
            || schema.ValueKind != JsonValueKind.String
            || schema.GetString() != SnapshotDocument.SchemaName)
        {
            throw new SnapshotException($"{origin} is not a k0s-node-ip snapshot: it has no \"schema\": \"{SnapshotDocument.SchemaName}\" (write one with k0s-node-ip --snapshot)");
        }

        if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number))
        {
            throw new SnapshotException($"{origin}: \"schemaVersion\" is missing or not a whole number");
        }

        if (number != SnapshotDocument.CurrentVersion)
        {
            var takenBy = root.TryGetProperty("takenBy", out var by) && by.ValueKind == JsonValueKind.String ? by.GetString() : "an unknown version";
            throw new SnapshotException(
                $"{origin} is a version {number} snapshot (written by {takenBy}); this k0s-node-ip {ProgramInfo.Version} replays version {SnapshotDocument.CurrentVersion} only: replay it with the version that wrote it");
        }

        SnapshotDocument document;
        try
        {
            document = root.Deserialize(Json.SnapshotDocument) ?? throw new SnapshotException($"{origin} is empty");
        }
        catch (JsonException e)
        {
            // The path ("$.interfaces[0].name") names the field.
            throw new SnapshotException($"{origin}: {e.Path ?? "$"}: {e.Message}", e);
        }

        if (FirstNullEntry(document) is { } field)
        {
            throw new SnapshotException($"{origin}: {field} is null");
        }

        return document;
    }

    /// <summary>List entries are not covered by nullable annotations: the first null one, by its path, or null.</summary>
    private static string? FirstNullEntry(SnapshotDocument document)
    {
        var lists = new List<(string Field, System.Collections.IList List)>
        {
            ("lookups", document.Lookups),
            ("resolverFiles", document.ResolverFiles),
            ("interfaces", document.Interfaces),
            ("probes", document.Probes),
            ("target.reads", document.Target.Reads),
        };
        lists.AddRange(document.Lookups.Select((l, i) => ($"lookups[{i}].answers", (System.Collections.IList)l?.Answers!)));
        lists.AddRange(document.Interfaces.Select((n, i) => ($"interfaces[{i}].addresses", (System.Collections.IList)n?.Addresses!)));
        if (document.Target.Inputs is { } inputs)
        {
            lists.Add(("target.inputs.files", inputs.Files));
            lists.AddRange((inputs.Listings ?? []).Select(l => ($"target.inputs.listings[\"{l.Key}\"]", (System.Collections.IList)l.Value)));
        }

        foreach (var (field, list) in lists)
        {
            for (var i = 0; list is not null && i < list.Count; i++)
            {
                if (list[i] is null)
                {
                    return $"{field}[{i}]";
                }
            }
        }

        return null;
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using K0sNodeIp.Configuration;
using K0sNodeIp.Formats;

namespace K0sNodeIp.Apply;

/// <summary>
/// What the agent last wrote and whether the unit's restart for it completed, kept in the unit's
/// <c>StateDirectory=</c> so a run that died between the write and the restart is made up, and only then:
/// a
/// restart (with daemon-reload for a drop-in) is owed exactly when the target still holds what we wrote and no
/// completed restart of it is recorded.
/// </summary>
/// <param name="Target">The file written.</param>
/// <param name="ContentSha256">Hex SHA-256 of the bytes written.</param>
/// <param name="Pair">The --node-ip value written, for people reading the file.</param>
/// <param name="Unit">The unit to restart, or null.</param>
/// <param name="RestartCompleted">True once the restart (or the decision that none is needed: the unit is stopped) is done.</param>
internal sealed record AppliedState(string Target, string ContentSha256, string Pair, string? Unit, bool RestartCompleted)
{
    public const string DefaultPath = ReloadOptions.DefaultStateFile;
    private const int SchemaVersion = 2;

    public static string Hash(string content) =>
        Convert.ToHexStringLower(SHA256.HashData(FileText.Bytes.GetBytes(content)));

    /// <summary>True when a restart of <see cref="Unit"/> is owed for <paramref name="current"/>, the target's content now.</summary>
    public bool OwesRestart(string target, string? current) =>
        !RestartCompleted && Unit is not null && Target == target && current is not null && Hash(current) == ContentSha256;

    /// <summary>
    /// The record to keep before writing <paramref name="contentHash"/> over <paramref name="current"/> (pure): a write
    /// that changes what the unit receives owes a restart; one that does not (<paramref name="noRestart"/>) carries over
    /// what the record of the content it replaces owed, or nothing after a completed restart of the same pair.
    /// </summary>
    public static AppliedState AfterWrite(AppliedState? previous, string target, string contentHash, string pair, string? unit, string? current, bool noRestart)
    {
        if (noRestart && previous is not null && current is not null && previous.Target == target && previous.ContentSha256 == Hash(current))
        {
            // Same arguments under new wording: whatever restart the old content owed, the new one owes too.
            return previous with { ContentSha256 = contentHash };
        }

        if (noRestart && previous is { RestartCompleted: true } && previous.Target == target && previous.Pair == pair)
        {
            // An operator's edit of the file since our completed restart (or an upgrade's new base): the unit runs
            // what we last restarted it with, and this write changes none of it. Nothing is owed.
            return previous with { ContentSha256 = contentHash };
        }

        // A rewrite with no matching record owes what an ordinary write owes: better one restart too many.
        return new AppliedState(target, contentHash, pair, unit, RestartCompleted: unit is null);
    }

    /// <summary>
    /// The record once the restart for <paramref name="contentHash"/> completed (or none is needed: the unit is stopped);
    /// null when there is nothing to mark: a restart that began before a newer write did not apply it.
    /// </summary>
    public static AppliedState? AfterRestart(AppliedState? previous, string target, string contentHash) =>
        previous is { RestartCompleted: false } && previous.Target == target && previous.ContentSha256 == contentHash
            ? previous with { RestartCompleted = true }
            : null;

    /// <summary>The recorded state, or null when there is none or it cannot be read (then nothing is owed).</summary>
    public static AppliedState? Load(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != SchemaVersion)
            {
                return null;
            }

            return new AppliedState(
                root.GetProperty("target").GetString()!,
                root.GetProperty("contentSha256").GetString()!,
                root.GetProperty("pair").GetString()!,
                root.GetProperty("unit").GetString(),
                root.GetProperty("restartCompleted").GetBoolean());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Writes the state atomically (temporary file, fsync, rename), creating its folder.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFileWriter.ReplaceJson(path, json =>
        {
            json.WriteNumber("version", SchemaVersion);
            json.WriteString("target", Target);
            json.WriteString("contentSha256", ContentSha256);
            json.WriteString("pair", Pair);
            json.WriteString("unit", Unit);
            json.WriteBoolean("restartCompleted", RestartCompleted);
        });
    }
}

using K0sNodeIp.Formats;
using K0sNodeIp.Native;
using K0sNodeIp.Node;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Sources;

/// <summary>
/// Reads a target's inputs from the host, once per detection: its own file (never through a symlink), then whatever its
/// <see cref="INodeIpTarget.ReadInputs"/> asks for. Every answer, absent files and errors included, goes into the
/// <see cref="TargetInputs"/> the pipeline renders from.
/// </summary>
internal sealed class TargetFileReader : ITargetFiles
{
    private readonly Dictionary<string, string?> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _listings = new(StringComparer.Ordinal);

    /// <summary>What <paramref name="target"/> holds and derives from, now.</summary>
    public static TargetState Read(INodeIpTarget target)
    {
        var reader = new TargetFileReader();
        var (current, currentError) = ReadCurrent(target.Path);
        target.ReadInputs(reader);
        var inputs = new TargetInputs(target.Path)
        {
            Current = current,
            CurrentError = currentError,
            Files = reader._files,
            Errors = reader._errors,
            Listings = reader._listings,
        };
        return target.StateOf(inputs);
    }

    public string? Text(string path)
    {
        if (_files.TryGetValue(path, out var known))
        {
            return known;
        }

        var (text, error) = ReadText(path);
        if (error is not null)
        {
            _errors[path] = error;
        }

        _files[path] = text;
        return text;
    }

    public IReadOnlyList<string> ConfNames(string directory)
    {
        if (!_listings.TryGetValue(directory, out var names))
        {
            names = ConfFileNames(directory);
            _listings[directory] = names;
        }

        return names;
    }

    /// <summary>The *.conf names in a unit's drop-in folder; none when it is absent or cannot be listed (nothing the agent can see).</summary>
    public static IReadOnlyList<string> ConfFileNames(string directory)
    {
        try
        {
            return Directory.Exists(directory) ? [.. Directory.EnumerateFiles(directory, "*.conf").Select(f => Path.GetFileName(f))] : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static (string? Text, string? Error) ReadCurrent(string path)
    {
        if (ReplaceableFile.WhyNot(path) is { } why)
        {
            return (null, $"refusing to write {path}: {why}");
        }

        var (text, error) = ReadText(path);
        return (text, error is null ? null : $"cannot read {path}: {error}");
    }

    /// <summary>A file's text byte for byte; null when absent (also when removed between the check and the read), or the reason it cannot be read.</summary>
    private static (string? Text, string? Error) ReadText(string path)
    {
        try
        {
            return (File.Exists(path) ? FileText.Bytes.GetString(File.ReadAllBytes(path)) : null, null);
        }
        catch (FileNotFoundException)
        {
            return (null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, e.Message);
        }
    }
}

using K0sNodeIp.Formats;
using K0sNodeIp.Native;
using K0sNodeIp.Node;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Sources;

/// <summary>
/// The read stage's files, one per detection: each file is read once whoever asks (the target's inputs, the kubelet's
/// unit and environment files for the resolver choice), and a target's read takes its own file (never through a
/// symlink), then whatever its <see cref="INodeIpTarget.ReadInputs"/> asks for. Every answer, absent files and errors
/// included, goes into the <see cref="TargetInputs"/> the pipeline renders from.
/// </summary>
internal sealed class TargetFileReader : ITargetFiles
{
    private readonly Dictionary<string, string?> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _listings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileStamp> _stamps = new(StringComparer.Ordinal);

    // The hostname lookup may ask from another thread than the target's read.
    private readonly Lock _gate = new();

    /// <summary>What <paramref name="target"/> holds and derives from, now, with a read of its own.</summary>
    public static TargetState Read(INodeIpTarget target) => new TargetFileReader().ReadTarget(target);

    /// <summary>What <paramref name="target"/> holds and derives from, through this read (a file already read is not read again).</summary>
    public TargetState ReadTarget(INodeIpTarget target)
    {
        string? current;
        string? currentError;
        target.Locate(this);
        if (ReplaceableFile.WhyNot(target.Path) is { } why)
        {
            (current, currentError) = (null, $"refusing to write {target.Path}: {why}");
        }
        else
        {
            current = Text(target.Path);
            currentError = ErrorOf(target.Path) is { } error ? $"cannot read {target.Path}: {error}" : null;
        }

        target.ReadInputs(this);
        lock (_gate)
        {
            var inputs = new TargetInputs(target.Path)
            {
                Current = current,
                CurrentError = currentError,
                CurrentStamp = _stamps.TryGetValue(target.Path, out var stamp) ? stamp : null,
                Files = new Dictionary<string, string?>(_files.Where(f => f.Key != target.Path), StringComparer.Ordinal),
                Errors = new Dictionary<string, string>(_errors.Where(f => f.Key != target.Path), StringComparer.Ordinal),
                Listings = new Dictionary<string, IReadOnlyList<string>>(_listings, StringComparer.Ordinal),
            };
            return target.StateOf(inputs);
        }
    }

    public string? Text(string path)
    {
        lock (_gate)
        {
            if (_files.TryGetValue(path, out var known))
            {
                return known;
            }

            // Taken before the read: a change in between shows at the write as a newer version, never as this one.
            if (StampOf(path) is { } stamp)
            {
                _stamps[path] = stamp;
            }

            var (text, error) = ReadText(path);
            if (error is not null)
            {
                _errors[path] = error;
            }

            _files[path] = text;
            return text;
        }
    }

    private string? ErrorOf(string path)
    {
        lock (_gate)
        {
            return _errors.GetValueOrDefault(path);
        }
    }

    public IReadOnlyList<string> ConfNames(string directory)
    {
        lock (_gate)
        {
            if (!_listings.TryGetValue(directory, out var names))
            {
                names = ConfFileNames(directory);
                _listings[directory] = names;
            }

            return names;
        }
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

    /// <summary>The file's version; null when statx cannot say (ENOSYS before Linux 4.11): then the write checks nothing, as before there was a check.</summary>
    private static FileStamp? StampOf(string path)
    {
        try
        {
            return Libc.Stamp(path);
        }
        catch (NativeErrorException)
        {
            return null;
        }
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

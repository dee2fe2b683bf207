namespace K0sNodeIp.Node;

/// <summary>
/// Every file a target's content is derived from, as the read stage found them: read once, before anything is decided,
/// so rendering, reading back and every rule taken from them see one state of the disk, and a replay can carry them.
/// </summary>
/// <param name="Path">The file the target writes.</param>
internal sealed record TargetInputs(string Path)
{
    public static TargetInputs None { get; } = new(string.Empty);

    /// <summary>What <see cref="Path"/> holds now; null when nothing is there (or it cannot be read: <see cref="CurrentError"/>).</summary>
    public string? Current { get; init; }

    /// <summary>Which version of <see cref="Path"/> <see cref="Current"/> was read from; null when unknown (a replay): the write checks it is still that one.</summary>
    public FileStamp? CurrentStamp { get; init; }

    /// <summary>Why <see cref="Path"/> cannot be read or written (a symlink, a folder, no permission); null when it can.</summary>
    public string? CurrentError { get; init; }

    /// <summary>The other files read, by path: their text, or null when absent.</summary>
    public IReadOnlyDictionary<string, string?> Files { get; init; } = new Dictionary<string, string?>();

    /// <summary>Files that exist but could not be read, by path, with the reason.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    /// <summary>Folders listed (a unit's drop-in folders), by path: the names of their *.conf files; absent folders list none.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Listings { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The text of an input file, null when absent or never read.</summary>
    public string? Text(string path) => Files.GetValueOrDefault(path);

    /// <summary>The *.conf names a folder held; none when it was absent or never listed.</summary>
    public IReadOnlyList<string> Listing(string directory) => Listings.GetValueOrDefault(directory) ?? [];
}

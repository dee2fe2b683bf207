namespace K0sNodeIp.Formats;

/// <summary>
/// A unit's drop-ins as systemd merges them (systemd.unit(5), "Description"): every <c>NAME.service.d/*.conf</c> and
/// <c>service.d/*.conf</c> of the unit search path, one file per name (the folder earlier in the search path masks the
/// same name later in it), applied in the order of their file names whatever folder they sit in.
/// </summary>
internal static class UnitDropIns
{
    /// <summary>The system manager's unit search path, highest priority first (systemd.unit(5), "Unit File Load Path").</summary>
    public static readonly IReadOnlyList<string> SystemSearchPath =
    [
        "/etc/systemd/system.control", "/run/systemd/system.control", "/run/systemd/transient", "/run/systemd/generator.early",
        "/etc/systemd/system", "/etc/systemd/system.attached", "/run/systemd/system", "/run/systemd/system.attached",
        "/run/systemd/generator", "/usr/local/lib/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system",
        "/run/systemd/generator.late",
    ];

    public const string SystemUnitDirectory = "/etc/systemd/system";

    /// <summary>The search path for a unit directory: systemd's whole path for /etc/systemd/system, else that folder alone (tests, chroots).</summary>
    public static IReadOnlyList<string> SearchPathFor(string unitDirectory) =>
        unitDirectory.TrimEnd('/') == SystemUnitDirectory ? SystemSearchPath : [unitDirectory];

    /// <summary>The folders <see cref="Ordered"/> looks in for <paramref name="unitFileName"/>, in search-path order.</summary>
    public static IEnumerable<string> Folders(IReadOnlyList<string> searchPath, string unitFileName)
    {
        var type = System.IO.Path.GetExtension(unitFileName).TrimStart('.');
        return searchPath.SelectMany(directory => new[] { unitFileName + ".d", type + ".d" }.Select(folder => System.IO.Path.Combine(directory, folder)));
    }

    /// <summary>
    /// The drop-in files of <paramref name="unitFileName"/> ("k0sworker.service") in the order systemd applies them, from
    /// the *.conf names each of its <see cref="Folders"/> holds.
    /// </summary>
    public static IReadOnlyList<string> Ordered(IReadOnlyList<string> searchPath, string unitFileName, Func<string, IReadOnlyList<string>> confNames)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in Folders(searchPath, unitFileName))
        {
            foreach (var name in confNames(folder))
            {
                // The earlier folder in the search path wins the name.
                byName.TryAdd(name, System.IO.Path.Combine(folder, name));
            }
        }

        return byName.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value).ToList();
    }

    /// <summary>Whether <paramref name="path"/> is in a unit's drop-in folder (<c>NAME.service.d/</c>): systemd reads it only after daemon-reload.</summary>
    public static bool IsDropIn(string path) =>
        System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(path)) is { } folder && folder.EndsWith(".service.d", StringComparison.Ordinal);
}

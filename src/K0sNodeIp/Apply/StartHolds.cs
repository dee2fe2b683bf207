namespace K0sNodeIp.Apply;

/// <summary>
/// The marks the shipped first-start guard reads (packaging's <c>10-k0s-node-ip-first-start.conf</c> for the k0s units):
/// while <c>/run/k0s-node-ip/hold/UNIT</c> exists and the agent runs, a start of UNIT is refused and the agent is
/// woken, so a k0s unit installed and started at once (k0sctl) first starts with the drop-in the agent writes for it.
/// The folder is the unit's RuntimeDirectory=: it goes with the agent, so a stopped agent never holds a start.
/// </summary>
internal sealed class StartHolds(string folder)
{
    /// <summary>The folder of the marks (the guard reads /run/k0s-node-ip/hold/UNIT).</summary>
    public string Folder => folder;

    /// <summary>The marks' folder in the unit's RuntimeDirectory= (systemd sets RUNTIME_DIRECTORY); null outside it: no holds.</summary>
    public static StartHolds? UnderRuntimeDirectory()
    {
        var runtime = Environment.GetEnvironmentVariable("RUNTIME_DIRECTORY");
        return string.IsNullOrEmpty(runtime) ? null : new StartHolds(Path.Combine(runtime.Split(':')[0], "hold"));
    }

    /// <summary>The units held now.</summary>
    public IReadOnlyList<string> Held => Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)] : [];

    /// <summary>Holds the first start of each unit; false (nothing held) when the folder cannot be written.</summary>
    public bool Hold(IEnumerable<string> units)
    {
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var unit in units)
            {
                File.WriteAllBytes(Path.Combine(folder, unit), []);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Releases every hold; returns the units that were held.</summary>
    public IReadOnlyList<string> ReleaseAll()
    {
        var held = Held;
        foreach (var unit in held)
        {
            try
            {
                File.Delete(Path.Combine(folder, unit));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The guard then still refuses that start while the agent runs; the next release tries again.
            }
        }

        return held;
    }
}

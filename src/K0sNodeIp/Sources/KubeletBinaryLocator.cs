using System.Text;
using K0sNodeIp.Formats;
using K0sNodeIp.Node;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Sources;

/// <summary>
/// Finds the kubelet binary a kubeadm-style node runs, for the resolver choice: the configured path
/// (<c>Detection:KubeletBinary</c>), else the program of the kubelet unit's effective <c>ExecStart=</c> (the unit
/// file and its drop-ins, in systemd's search order), and tells whether it is static; and the GODEBUG netdns setting
/// of the same unit's environment (<c>Environment=</c>, <c>EnvironmentFile=</c>), which can force either resolver.
/// </summary>
internal sealed class KubeletBinaryLocator
{
    /// <summary>Where systemd looks for units, most important first (systemd.unit(5)).</summary>
    public static readonly IReadOnlyList<string> DefaultUnitDirectories =
        ["/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"];

    private static readonly string[] ExecutableSearchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    private readonly string? _configuredBinary;
    private readonly string _unit;
    private readonly IReadOnlyList<string> _unitDirectories;

    public KubeletBinaryLocator(string? configuredBinary, string unit, IReadOnlyList<string>? unitDirectories = null)
    {
        _configuredBinary = configuredBinary;
        _unit = unit;
        _unitDirectories = unitDirectories ?? DefaultUnitDirectories;
    }

    /// <summary>With a read of its own (a lookup outside a detection, tests).</summary>
    public KubeletBuild Inspect() => Inspect(new TargetFileReader());

    /// <summary>
    /// Through the detection's read stage (<paramref name="read"/>): a file the target reads too (kubeadm's environment
    /// file is the unit's EnvironmentFile=) is read once for both.
    /// </summary>
    public KubeletBuild Inspect(ITargetFiles read)
    {
        var files = UnitFiles(read);
        var build = InspectBinary(files);
        return GoDebugSetting(files, read) is { } setting
            ? build with { NetDns = GoDebug.NetDnsMode(setting.NetDns), NetDnsOrigin = $"GODEBUG=netdns={setting.NetDns} in {setting.Origin}" }
            : build;
    }

    private KubeletBuild InspectBinary(IReadOnlyList<(string Path, string Text)> files)
    {
        if (!string.IsNullOrEmpty(_configuredBinary))
        {
            return Describe(_configuredBinary, "Detection:KubeletBinary");
        }

        if (ExecStartProgram(files) is { } fromUnit)
        {
            return Describe(fromUnit.Program, $"ExecStart of {fromUnit.UnitFile}");
        }

        return new KubeletBuild(true, $"no kubelet binary found ({UnitName} has no ExecStart, Detection:KubeletBinary unset): a static kubelet is assumed, as k0s and upstream kubelets from v1.38 are");
    }

    private static KubeletBuild Describe(string path, string foundBy)
    {
        if (!File.Exists(path))
        {
            return new KubeletBuild(true, $"kubelet {path} ({foundBy}) does not exist: a static kubelet is assumed, as k0s and upstream kubelets from v1.38 are", path);
        }

        return ElfFile.IsStatic(path) switch
        {
            true => new KubeletBuild(true, $"kubelet {path} ({foundBy}) is a static binary", path),
            false => new KubeletBuild(false, $"kubelet {path} ({foundBy}) is dynamically linked (built with cgo)", path),
            null => new KubeletBuild(true, $"kubelet {path} ({foundBy}) cannot be read as an ELF binary: a static kubelet is assumed, as k0s and upstream kubelets from v1.38 are", path),
        };
    }

    private string UnitName => ServiceUnitName.Full(_unit);

    /// <summary>
    /// The netdns value of the unit's effective GODEBUG, and where it was set: <c>EnvironmentFile=</c> files override
    /// <c>Environment=</c> (systemd.exec(5)); within each, a later assignment wins, and an empty <c>Environment=</c> or
    /// <c>EnvironmentFile=</c> resets what came before. A GODEBUG without netdns counts as none.
    /// </summary>
    private (string NetDns, string Origin)? GoDebugSetting(IReadOnlyList<(string Path, string Text)> files, ITargetFiles read)
    {
        var service = UnitName;
        (string Value, string Origin)? fromEnvironment = null;
        var environmentFiles = new List<string>();
        foreach (var (path, text) in files)
        {
            foreach (var (key, value) in UnitFile.ServiceValues(text, "Environment", "EnvironmentFile"))
            {
                if (key == "EnvironmentFile")
                {
                    if (value.Length == 0)
                    {
                        environmentFiles.Clear();
                    }
                    else
                    {
                        // A leading '-' only makes the file optional: a missing one is skipped either way here.
                        environmentFiles.Add(value.TrimStart('-').Trim());
                    }

                    continue;
                }

                if (value.Length == 0)
                {
                    fromEnvironment = null;
                    continue;
                }

                IReadOnlyList<string> assignments;
                try
                {
                    assignments = SystemdCommandLine.Parse(value).Words;
                }
                catch (TargetException)
                {
                    continue; // systemd ignores an assignment it cannot unquote
                }

                foreach (var assignment in assignments.Where(a => a.StartsWith("GODEBUG=", StringComparison.Ordinal)))
                {
                    fromEnvironment = (assignment["GODEBUG=".Length..], $"{service}'s Environment= ({path})");
                }
            }
        }

        (string Value, string Origin)? fromFiles = null;
        foreach (var file in environmentFiles)
        {
            if (Utf8(read.Text(file)) is { } text && EnvironmentFileEditor.Read(text, "GODEBUG") is { } value)
            {
                fromFiles = (value, $"{file} ({service}'s EnvironmentFile=)");
            }
        }

        if ((fromFiles ?? fromEnvironment) is not { } effective)
        {
            return null;
        }

        return GoDebug.NetDnsValue(effective.Value) is { } netdns ? (netdns, effective.Origin) : null;
    }

    /// <summary>The unit file and its drop-ins with their text, in systemd's order; unreadable ones left out.</summary>
    private List<(string Path, string Text)> UnitFiles(ITargetFiles read)
    {
        var name = UnitName;

        // The first directory holding the unit file wins; drop-ins from every directory apply, by file name.
        var files = new List<string>();
        var unitFile = _unitDirectories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
        if (unitFile is not null)
        {
            files.Add(unitFile);
        }

        // Drop-ins as systemd merges them (one order for the whole agent: Formats/UnitDropIns).
        files.AddRange(UnitDropIns.Ordered(_unitDirectories, name, read.ConfNames));

        // An unreadable drop-in is left out.
        return [.. files.Select(file => (file, Utf8(read.Text(file)))).Where(f => f.Item2 is not null).Select(f => (f.file, f.Item2!))];
    }

    /// <summary>
    /// The read stage keeps bytes (Latin-1 text); unit files and the paths in them are read as File.ReadAllText reads
    /// them: UTF-8, with a byte-order mark dropped (systemd drops it too) or obeyed.
    /// </summary>
    private static string? Utf8(string? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        using var reader = new StreamReader(new MemoryStream(FileText.Bytes.GetBytes(bytes)), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>The program of the last ExecStart= across the unit file and its drop-ins, or null.</summary>
    private static (string Program, string UnitFile)? ExecStartProgram(IReadOnlyList<(string Path, string Text)> files)
    {
        string? value = null;
        string? source = null;
        foreach (var (file, text) in files)
        {
            foreach (var exec in UnitFile.ExecStartValues(text))
            {
                value = exec.Length == 0 ? null : exec;
                source = file;
            }
        }

        if (value is null || source is null)
        {
            return null;
        }

        var words = SystemdCommandLine.Parse(value).Words;
        if (words.Count == 0)
        {
            return null;
        }

        var program = words[0];
        if (!Path.IsPathRooted(program))
        {
            program = ExecutableSearchPath.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists) ?? program;
        }

        return (program, source);
    }
}

using K0sNodeIp.Targets;
using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>
/// Finds the kubelet binary a kubeadm-style node runs, for the resolver choice: the configured path
/// (<c>Detection:KubeletBinary</c>), else the program of the kubelet unit's effective <c>ExecStart=</c> (the unit
/// file and its drop-ins, in systemd's search order), and tells whether it is static.
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

    public KubeletBuild Inspect()
    {
        if (!string.IsNullOrEmpty(_configuredBinary))
        {
            return Describe(_configuredBinary, "Detection:KubeletBinary");
        }

        if (ExecStartProgram() is { } fromUnit)
        {
            return Describe(fromUnit.Program, $"ExecStart of {fromUnit.UnitFile}");
        }

        return new KubeletBuild(true, $"no kubelet binary found ({_unit}.service has no ExecStart, Detection:KubeletBinary unset): a static kubelet is assumed, as k0s and upstream kubelets from v1.36 are");
    }

    private static KubeletBuild Describe(string path, string foundBy)
    {
        if (!File.Exists(path))
        {
            return new KubeletBuild(true, $"kubelet {path} ({foundBy}) does not exist: a static kubelet is assumed, as k0s and upstream kubelets from v1.36 are", path);
        }

        return ElfFile.IsStatic(path) switch
        {
            true => new KubeletBuild(true, $"kubelet {path} ({foundBy}) is a static binary", path),
            false => new KubeletBuild(false, $"kubelet {path} ({foundBy}) is dynamically linked (built with cgo)", path),
            null => new KubeletBuild(true, $"kubelet {path} ({foundBy}) cannot be read as an ELF binary: a static kubelet is assumed, as k0s and upstream kubelets from v1.36 are", path),
        };
    }

    /// <summary>The program of the last ExecStart= across the unit file and its drop-ins, or null.</summary>
    private (string Program, string UnitFile)? ExecStartProgram()
    {
        var name = _unit.EndsWith(".service", StringComparison.Ordinal) ? _unit : _unit + ".service";

        // The first directory holding the unit file wins; drop-ins from every directory apply, by file name.
        var files = new List<string>();
        var unitFile = _unitDirectories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
        if (unitFile is not null)
        {
            files.Add(unitFile);
        }

        var dropIns = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in _unitDirectories.Reverse())
        {
            var folder = Path.Combine(directory, name + ".d");
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*.conf"))
                {
                    dropIns[Path.GetFileName(file)] = file;
                }
            }
        }

        files.AddRange(dropIns.Values);
        string? value = null;
        string? source = null;
        foreach (var file in files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

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

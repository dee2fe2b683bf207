using System.Globalization;

namespace K0sNodeIp.Check;

/// <summary>
/// Finds the running kubelet processes in /proc and reads the --node-ip they were started with. Their argv is
/// what the kubelet actually received: under k0s the worker (or controller) runs kubelet as a child with
/// --kubelet-extra-args already merged into its command line, and under kubeadm systemd has already expanded
/// $KUBELET_EXTRA_ARGS from the environment files, so nothing needs resolving again here.
/// </summary>
internal sealed class KubeletProcessFinder(string procRoot = "/proc")
{
    public const string ProcessName = "kubelet";

    /// <summary>Every process whose comm is "kubelet" and whose cmdline is readable, by PID.</summary>
    public IReadOnlyList<KubeletProcess> Find()
    {
        var found = new List<KubeletProcess>();
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories(procRoot);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return found;
        }

        foreach (var directory in entries)
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            // The process may exit between listing and reading, or be hidden (ProtectProc=): skipped either way.
            if (ReadOrNull(Path.Combine(directory, "comm"))?.TrimEnd('\n') != ProcessName
                || ReadOrNull(Path.Combine(directory, "cmdline")) is not { Length: > 0 } cmdline)
            {
                continue;
            }

            var argv = cmdline.Split('\0', StringSplitOptions.RemoveEmptyEntries);
            found.Add(new KubeletProcess(pid, NodeIp(argv), ParentName(directory)));
        }

        found.Sort((a, b) => a.Pid.CompareTo(b.Pid));
        return found;
    }

    /// <summary>
    /// The --node-ip kubelet's flag parser (pflag) ends up with: the last of <c>--node-ip=V</c> or <c>--node-ip V</c>
    /// (argv[0] excluded; parsing stops at a bare <c>--</c>).
    /// </summary>
    public static string? NodeIp(IReadOnlyList<string> argv)
    {
        string? value = null;
        for (var i = 1; i < argv.Count; i++)
        {
            var token = argv[i];
            if (token == "--")
            {
                break;
            }

            if (token.StartsWith("--node-ip=", StringComparison.Ordinal))
            {
                value = token["--node-ip=".Length..];
            }
            else if (token == "--node-ip" && i + 1 < argv.Count)
            {
                value = argv[++i];
            }
        }

        return value;
    }

    private string? ParentName(string directory)
    {
        // stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so read after the last ')'.
        var stat = ReadOrNull(Path.Combine(directory, "stat"));
        var close = stat?.LastIndexOf(')') ?? -1;
        if (stat is null || close < 0)
        {
            return null;
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid)
            ? ReadOrNull(Path.Combine(procRoot, ppid.ToString(CultureInfo.InvariantCulture), "comm"))?.TrimEnd('\n')
            : null;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

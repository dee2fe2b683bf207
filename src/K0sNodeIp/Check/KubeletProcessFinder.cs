using System.Globalization;
using K0sNodeIp.Formats;
using K0sNodeIp.Node;

namespace K0sNodeIp.Check;

/// <summary>
/// Finds the running kubelet in /proc and reads the --node-ip it was started with. Its argv is what the kubelet actually
/// received: under k0s the worker (or controller) runs kubelet as a child with --kubelet-extra-args already merged into
/// its command line, and under kubeadm systemd has already expanded $KUBELET_EXTRA_ARGS from the environment files, so
/// nothing needs resolving again here. Any user can name a process kubelet, so only root's count, and only those in
/// the target unit's cgroup when the unit is known; the argv is read up to a bound, so a huge one costs nothing.
/// </summary>
/// <param name="procRoot">/proc, or a copy of it in tests.</param>
/// <param name="unit">The unit the kubelet runs in (k0sworker, k0scontroller, kubelet) as known at each search, or null when not known.</param>
internal sealed class KubeletProcessFinder(string procRoot, Func<string?> unit)
{
    public KubeletProcessFinder(string procRoot = "/proc", string? unit = null)
        : this(procRoot, () => unit)
    {
    }

    public const string ProcessName = "kubelet";

    /// <summary>The longest argv read; a kubelet's is a few KiB, and one longer than this is not compared.</summary>
    public const int MaxArgvBytes = 256 * 1024;

    private string? UnitName => unit() is { } name ? ServiceUnitName.Full(name) : null;

    /// <summary>The kubelets to compare, by PID.</summary>
    public IReadOnlyList<KubeletProcess> Find() => Search().Compared;

    public KubeletSearch Search()
    {
        var found = new List<KubeletProcess>();
        var passedOver = new List<(int Pid, string Why)>();
        var candidates = new List<(int Pid, string Directory, bool InUnit, string? Cgroup)>();
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories(procRoot);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new KubeletSearch(found, []);
        }

        foreach (var directory in entries)
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            // The process may exit between listing and reading, or be hidden (ProtectProc=): skipped either way.
            if (ReadOrNull(Path.Combine(directory, "comm"))?.TrimEnd('\n') != ProcessName)
            {
                continue;
            }

            // Checked before the argv is read: an impostor's argv is never read at all.
            if (Owner(directory) is not { } owner)
            {
                continue;
            }

            string? cgroup = null;
            if (owner != 0)
            {
                passedOver.Add((pid, $"PID {pid} is named kubelet but runs as uid {owner}, not root"));
                continue;
            }

            var inUnit = UnitName is { } unitName && InUnit(directory, unitName, out cgroup);
            candidates.Add((pid, directory, inUnit, cgroup));
        }

        // In the unit's cgroup when the unit runs one; when none does (no systemd, or the unit not started by it), root's.
        var unitRunsOne = UnitName is not null && candidates.Any(c => c.InUnit);
        foreach (var (pid, directory, inUnit, cgroup) in candidates)
        {
            if (unitRunsOne && !inUnit)
            {
                passedOver.Add((pid, $"PID {pid} is root's kubelet but runs outside {UnitName} (cgroup {cgroup ?? "unknown"}), where another one runs"));
                continue;
            }

            var why = inUnit ? $"root's, in {UnitName}" : "root's";
            switch (ReadBounded(Path.Combine(directory, "cmdline"), MaxArgvBytes))
            {
                case null or { Length: 0 }:
                    continue;
                case { Length: > MaxArgvBytes }:
                    passedOver.Add((pid, $"PID {pid} has an argv over {MaxArgvBytes / 1024} KiB, not a kubelet's"));
                    continue;
                case var cmdline:
                    var argv = cmdline.Split('\0', StringSplitOptions.RemoveEmptyEntries);
                    found.Add(new KubeletProcess(pid, NodeIp(argv), ParentName(directory), why));
                    continue;
            }
        }

        found.Sort((a, b) => a.Pid.CompareTo(b.Pid));
        return new KubeletSearch(found, [.. passedOver.OrderBy(p => p.Pid).Select(p => p.Why)]);
    }

    /// <summary>
    /// The --node-ip kubelet's flag parser (pflag) ends up with: the last of <c>--node-ip=V</c> or <c>--node-ip V</c>
    /// (argv[0] excluded; parsing stops at a bare <c>--</c>).
    /// </summary>
    public static string? NodeIp(IReadOnlyList<string> argv) =>
        KubeletArgs.LastFlagValue(argv, [KubeletArgs.NodeIpFlag], from: 1, stopAtDoubleDash: true);

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

    /// <summary>The real and effective user (both must be root), from the Uid: line of status; null when unreadable.</summary>
    private static uint? Owner(string directory)
    {
        foreach (var line in (ReadOrNull(Path.Combine(directory, "status")) ?? string.Empty).Split('\n'))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var ids = line[4..].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                return ids.Length >= 2 && uint.TryParse(ids[0], CultureInfo.InvariantCulture, out var real) && uint.TryParse(ids[1], CultureInfo.InvariantCulture, out var effective)
                    ? Math.Max(real, effective)
                    : null;
            }
        }

        return null;
    }

    /// <summary>Whether a cgroup path of the process (v2 "0::/system.slice/k0sworker.service", or v1's) lies in the unit's.</summary>
    private static bool InUnit(string directory, string unitName, out string? cgroup)
    {
        cgroup = null;
        foreach (var line in (ReadOrNull(Path.Combine(directory, "cgroup")) ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = line.Split(':', 3) is { Length: 3 } fields ? fields[2] : line;
            cgroup ??= path;
            if (path.Split('/').Contains(unitName, StringComparer.Ordinal))
            {
                cgroup = path;
                return true;
            }
        }

        return false;
    }

    /// <summary>At most <paramref name="limit"/> + 1 bytes, so a longer file shows as longer without being read whole.</summary>
    private static string? ReadBounded(string path, int limit)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            var buffer = new byte[limit + 1];
            var total = 0;
            for (int read; total < buffer.Length && (read = file.Read(buffer, total, buffer.Length - total)) > 0;)
            {
                total += read;
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
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

namespace K0sNodeIp.Sources;

/// <summary>The systemd service this process runs in, from its cgroup (cgroups(7): <c>/proc/self/cgroup</c>).</summary>
internal static class OwnUnit
{
    /// <summary>The service unit (e.g. <c>k0s-node-ip.service</c>), or null when this process runs in none (a shell, a test).</summary>
    public static string? Read(string path = "/proc/self/cgroup")
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                // v2 "0::/system.slice/k0s-node-ip.service", v1 "1:name=systemd:/system.slice/k0s-node-ip.service".
                var cgroup = line[(line.LastIndexOf(':') + 1)..];
                if (cgroup.Split('/').LastOrDefault(p => p.EndsWith(".service", StringComparison.Ordinal)) is { } unit)
                {
                    return unit;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No cgroup to read: not restarted by unit.
        }

        return null;
    }
}

namespace K0sNodeIp.Sources;

/// <summary>
/// The <c>hosts:</c> line of /etc/nsswitch.conf, to decide as Go does whether its own resolver can
/// stand in for glibc: only when the line names nothing but <c>files</c> and <c>dns</c>.
/// </summary>
public static class NsSwitch
{
    public const string DefaultPath = "/etc/nsswitch.conf";

    /// <summary>The modules of the hosts line; Go's default (files, dns) when the file or line is absent.</summary>
    public static IReadOnlyList<string> HostsModules(TextReader? reader)
    {
        if (reader is not null)
        {
            while (reader.ReadLine() is { } raw)
            {
                var hash = raw.IndexOf('#', StringComparison.Ordinal);
                var line = (hash >= 0 ? raw[..hash] : raw).Trim();
                if (!line.StartsWith("hosts:", StringComparison.Ordinal))
                {
                    continue;
                }

                // "[NOTFOUND=return]" style actions are not modules.
                return line["hosts:".Length..]
                    .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                    .Where(m => !m.StartsWith('['))
                    .ToArray();
            }
        }

        return ["files", "dns"];
    }

    /// <summary>True when a cgo-built kubelet would hand the lookup to glibc's getaddrinfo.</summary>
    public static bool NeedsGlibc(IReadOnlyList<string> modules) =>
        modules.Any(m => m is not ("files" or "dns"));
}

namespace K0sNodeIp.Sources;

/// <summary>How the hostname lookup is done.</summary>
public enum ResolverMode
{
    /// <summary>As kubelet would: Go's resolver unless nsswitch.conf names modules only glibc has.</summary>
    Auto,

    /// <summary>Always Go's resolver semantics (hosts file, DnsClient, RFC 6724 sort).</summary>
    Go,

    /// <summary>Always glibc's getaddrinfo.</summary>
    Glibc,
}

/// <summary>Chooses, per lookup, the resolver kubelet itself would use on this node.</summary>
public sealed class SystemHostLookup(ResolverMode mode, DnsSettings dns, ISourceAddressProbe probe, string nsswitchPath = NsSwitch.DefaultPath) : IHostLookup
{
    public Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken) =>
        Choose().LookupAsync(name, cancellationToken);

    private IHostLookup Choose()
    {
        IReadOnlyList<string> modules;
        using (var reader = File.Exists(nsswitchPath) ? new StreamReader(nsswitchPath) : null)
        {
            modules = NsSwitch.HostsModules(reader);
        }

        if (mode == ResolverMode.Glibc || (mode == ResolverMode.Auto && NsSwitch.NeedsGlibc(modules)))
        {
            return new GlibcHostLookup(dns.Budget);
        }

        // Go honours the order of the two modules it knows ("dns files" asks DNS first).
        var files = IndexOf(modules, "files");
        var dnsIndex = IndexOf(modules, "dns");
        return new GoStyleHostLookup(dns, probe, hostsFirst: dnsIndex < 0 || (files >= 0 && files < dnsIndex));
    }

    private static int IndexOf(IReadOnlyList<string> modules, string module)
    {
        for (var i = 0; i < modules.Count; i++)
        {
            if (modules[i] == module)
            {
                return i;
            }
        }

        return -1;
    }
}

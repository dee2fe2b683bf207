using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>
/// The lookup Go's own resolver (and so a kubelet built without cgo) does for <c>net.LookupIP</c>: /etc/hosts and
/// DNS (<see cref="DnsHostQuery"/>) in the order nsswitch.conf gives, every matching hosts line, and in both cases an
/// RFC 6724 sort of the answers.
/// </summary>
internal sealed class GoStyleHostLookup : IHostLookup
{
    private readonly string _hostsPath;
    private readonly HostLookupOrder _order;
    private readonly ISourceAddressProbe _probe;
    private readonly DnsHostQuery _dns;
    private readonly ResolvConfFile _resolvConf;

    /// <param name="resolvConf">/etc/resolv.conf as read for this lookup.</param>
    public GoStyleHostLookup(DnsSettings settings, ISourceAddressProbe probe, ResolvConfFile resolvConf, HostLookupOrder order = HostLookupOrder.FilesDns,
        string hostsPath = HostsFile.DefaultPath)
    {
        _probe = probe;
        _order = order;
        _dns = new DnsHostQuery(settings, probe);
        _resolvConf = resolvConf;
        _hostsPath = hostsPath;
    }

    public async Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken)
    {
        // Go's goLookupIPCNAMEOrder: the hosts file answers alone when it has the name (files-first orders).
        if (_order is HostLookupOrder.FilesDns or HostLookupOrder.Files && LookupHostsFile(name) is { } fromHosts)
        {
            return fromHosts;
        }

        if (_order == HostLookupOrder.Files)
        {
            return new HostLookupResult(LookupMethod.HostsFile, [], $"no line for {name} in {_hostsPath} (nsswitch.conf names files only)");
        }

        var fromDns = await _dns.LookupAsync(name, _resolvConf, cancellationToken);
        if (fromDns.Answers.Count > 0 || _order != HostLookupOrder.DnsFiles)
        {
            return fromDns;
        }

        return LookupHostsFile(name) ?? fromDns;
    }

    private HostLookupResult? LookupHostsFile(string name)
    {
        if (!File.Exists(_hostsPath))
        {
            return null;
        }

        using var reader = new StreamReader(_hostsPath);
        var found = HostsFile.Lookup(reader, name);
        return found.Count == 0 ? null : new HostLookupResult(LookupMethod.HostsFile, Rfc6724.Sort(found, _probe.SourceFor));
    }
}

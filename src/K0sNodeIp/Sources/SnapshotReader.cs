using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>Reads the node into one <see cref="NodeSnapshot"/>; the only place detection touches the host.</summary>
/// <remarks><paramref name="lookupAsStaticKubeletToo"/>: the second lookup behind the upgrade note, which only the reports show.</remarks>
internal sealed class SnapshotReader(
    IHostnameSource hostname,
    IHostLookup lookup,
    INetworkInterfaces interfaces,
    ISourceAddressProbe probe,
    Func<RouteTable> readRoutes,
    Func<string, IPAddress?>? parseDestination = null,
    bool lookupAsStaticKubeletToo = true,
    Func<TargetFileReader, TargetState>? readTarget = null)
{
    /// <param name="lookupHostname">False when no configured source needs the hostname lookup.</param>
    /// <param name="canReach">Destinations (address or name) per family for the can-reach source.</param>
    public async Task<NodeSnapshot> ReadAsync(bool lookupHostname, IReadOnlyDictionary<IpFamily, string> canReach, CancellationToken cancellationToken)
    {
        var name = hostname.GetHostname();

        // One read of each file for this detection, whoever asks: the lookup's resolver choice and the target.
        var files = new TargetFileReader();

        // kubelet does no lookup when the hostname is itself an IP.
        var lookupTask = lookupHostname && !GoAddress.TryParseSloppy(name, out _)
            ? LookupHostnameAsync(name, files, cancellationToken)
            : Task.FromResult<(HostLookupResult, HostLookupResult?)>((HostLookupResult.Skipped(lookupHostname ? "hostname is an IP address" : "not a configured source"), null));

        // The kernel reads are quick; they overlap with the DNS round trips.
        var nics = interfaces.Read();
        var routes = readRoutes();
        var reach = new Dictionary<IpFamily, CanReachResult>();
        foreach (var (family, destination) in canReach)
        {
            reach[family] = await ProbeAsync(family, destination, files, cancellationToken);
        }

        var (asKubelet, asStaticKubelet) = await lookupTask;
        return new NodeSnapshot(name, asKubelet, routes, nics, reach.Count > 0 ? reach : null)
        {
            StaticKubeletLookup = asStaticKubelet,
            Target = readTarget?.Invoke(files) ?? TargetState.None,
        };
    }

    /// <summary>The hostname and its lookup as the kubelet here makes it, nothing else (the daemon's lookup interval).</summary>
    public async Task<(string Hostname, HostLookupResult Lookup)> LookupOnlyAsync(CancellationToken cancellationToken)
    {
        var name = hostname.GetHostname();
        return (name, GoAddress.TryParseSloppy(name, out _) ? HostLookupResult.Skipped("hostname is an IP address") : await lookup.LookupAsync(name, cancellationToken));
    }

    /// <summary>The lookup as the kubelet here makes it, then, when that went to glibc, as a static kubelet would.</summary>
    private async Task<(HostLookupResult AsKubelet, HostLookupResult? AsStaticKubelet)> LookupHostnameAsync(string name, TargetFileReader files, CancellationToken cancellationToken)
    {
        var asKubelet = await lookup.LookupAsync(name, files, cancellationToken);
        return (asKubelet, lookupAsStaticKubeletToo ? await lookup.LookupAsStaticKubeletAsync(name, asKubelet, cancellationToken) : null);
    }

    private async Task<CanReachResult> ProbeAsync(IpFamily family, string destination, TargetFileReader files, CancellationToken cancellationToken)
    {
        // A zone given by name (fe80::1%eth0) is this machine's interface; a replay resolves it against the recorded ones.
        var target = parseDestination is not null ? parseDestination(destination)
            : IPAddress.TryParse(destination, out var parsed) ? parsed : null;
        if (target is null)
        {
            var answer = await lookup.LookupAsync(destination, files, cancellationToken);
            target = answer.Answers.FirstOrDefault(a => a.Family() == family);
            if (target is null)
            {
                return new CanReachResult(destination, null, $"{destination} has no {family.Name()} address ({answer.Error ?? "no answer"})");
            }
        }

        if (target.Family() != family)
        {
            return new CanReachResult(destination, null, $"{destination} is not an {family.Name()} address");
        }

        var source = probe.SourceFor(target);
        return new CanReachResult(destination, source, source is null ? "unreachable: no route" : null);
    }
}

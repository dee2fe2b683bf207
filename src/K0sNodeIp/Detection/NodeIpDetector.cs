using K0sNodeIp.Configuration;
using K0sNodeIp.Node;
using K0sNodeIp.Policy;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Detection;

/// <summary>One detection: read the node, then decide. Serves --print, --once and the daemon alike.</summary>
internal sealed class NodeIpDetector(SnapshotReader reader, DetectionOptions options)
{
    private readonly SelectionRules _rules = options.ToRules();

    public SelectionRules Rules => _rules;

    private NodeSnapshot? _last;

    public async Task<DetectionResult> DetectAsync(CancellationToken cancellationToken)
    {
        var canReach = new Dictionary<IpFamily, string>();
        if (!string.IsNullOrEmpty(options.CanReachIPv4))
        {
            canReach[IpFamily.IPv4] = options.CanReachIPv4;
        }

        if (!string.IsNullOrEmpty(options.CanReachIPv6))
        {
            canReach[IpFamily.IPv6] = options.CanReachIPv6;
        }

        // Static addresses for both families make the lookup pointless.
        var needsLookup = _rules.Sources.Contains(DetectionSource.Hostname) && (_rules.StaticIPv4 is null || _rules.StaticIPv6 is null);
        var snapshot = await reader.ReadAsync(needsLookup, canReach, cancellationToken);
        // A cgo kubelet that asked glibc: the same policy over the node as a static kubelet would see it, after an upgrade.
        var asStatic = snapshot.StaticKubeletLookup is { } lookup
            ? SelectionPolicy.Decide(snapshot with { Lookup = lookup, StaticKubeletLookup = null }, _rules)
            : null;
        _last = snapshot;
        return new DetectionResult(snapshot, SelectionPolicy.Decide(snapshot, _rules)) { StaticKubeletDecision = asStatic };
    }

    /// <summary>
    /// Whether the hostname, or its lookup's answers, differ from those of the last detection: the lookup alone, as
    /// kubelet repeats it at every node-status update, so that a DNS or /etc/hosts change is followed without netlink.
    /// </summary>
    public async Task<bool> LookupChangedAsync(CancellationToken cancellationToken)
    {
        if (_last is not { } last)
        {
            return true;
        }

        var (name, lookup) = await reader.LookupOnlyAsync(cancellationToken);
        // As a set: a round-robin server reorders its answers at every query, and the keep rule holds the pair anyway.
        return name != last.Hostname || !lookup.Answers.ToHashSet().SetEquals(last.Lookup.Answers);
    }
}

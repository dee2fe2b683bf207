using K0sNodeIp.Configuration;
using K0sNodeIp.Policy;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Detection;

/// <summary>One detection: read the node, then decide. Serves --print, --once and the daemon alike.</summary>
public sealed class NodeIpDetector(SnapshotReader reader, DetectionOptions options)
{
    private readonly SelectionRules _rules = options.ToRules();

    public SelectionRules Rules => _rules;

    public static NodeIpDetector ForHost(DetectionOptions options)
    {
        var probe = new UdpSourceAddressProbe();
        var lookup = new SystemHostLookup(options.ResolverMode, options.DnsSettings, probe);
        var reader = new SnapshotReader(new SystemHostnameSource(options.Hostname), lookup, probe);
        return new NodeIpDetector(reader, options);
    }

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
        return new DetectionResult(snapshot, SelectionPolicy.Decide(snapshot, _rules));
    }
}

/// <summary>A detection's input and outcome, kept together so the choice can be explained.</summary>
public sealed record DetectionResult(NodeSnapshot Snapshot, Decision Decision);

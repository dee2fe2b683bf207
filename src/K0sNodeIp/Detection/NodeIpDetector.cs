using K0sNodeIp.Configuration;
using K0sNodeIp.Policy;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Detection;

/// <summary>One detection: read the node, then decide. Serves --print, --once and the daemon alike.</summary>
public sealed class NodeIpDetector(SnapshotReader reader, DetectionOptions options)
{
    private readonly SelectionRules _rules = options.ToRules();

    public SelectionRules Rules => _rules;

    public static NodeIpDetector ForHost(K0sNodeIpOptions options)
    {
        var detection = options.Detection;
        var probe = new UdpSourceAddressProbe();
        var lookup = new SystemHostLookup(detection.ResolverMode, detection.DnsSettings, probe, KubeletBuildOf(options));
        var reader = new SnapshotReader(new SystemHostnameSource(detection.Hostname), lookup, probe);
        return new NodeIpDetector(reader, detection);
    }

    /// <summary>How the kubelet that will run was built: k0s's is static; otherwise its binary tells.</summary>
    private static Func<KubeletBuild> KubeletBuildOf(K0sNodeIpOptions options)
    {
        if (options.Target.Kind == "k0s" && string.IsNullOrEmpty(options.Detection.KubeletBinary))
        {
            return () => KubeletBuild.K0s;
        }

        var directories = new[] { options.Target.UnitDirectory }.Concat(KubeletBinaryLocator.DefaultUnitDirectories).Distinct().ToArray();
        var unit = options.Target.Kind == "kubeadm" ? options.Target.EffectiveUnit ?? "kubelet" : "kubelet";
        return new KubeletBinaryLocator(options.Detection.KubeletBinary, unit, directories).Inspect;
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

using K0sNodeIp.Node;

namespace K0sNodeIp.Detection;

/// <summary>What the target should carry now: the detection behind it, the ordered pair, and where the order came from.</summary>
/// <param name="GraceNotes">Families kept through their grace period, in words.</param>
/// <param name="RecheckAt">When a family's grace ends, if one is running.</param>
internal sealed record DesiredState(
    DetectionResult Detection,
    NodeIpPair Pair,
    PrimaryFamilyChoice Primary,
    IReadOnlyList<string> GraceNotes,
    DateTimeOffset? RecheckAt)
{
    /// <summary>A family is in its grace period: leave the file as it is (never write a vanished address) until <see cref="RecheckAt"/>.</summary>
    public bool HoldFile { get; init; }

    /// <summary>Families a setting left with no address that keep the one the target holds: the operator must fix the setting.</summary>
    public IReadOnlyList<SettingKeep> KeptForSettings { get; init; } = [];

    /// <summary>What an upgrade to a static kubelet would give, in this pair's order; null when the kubelet here does not ask glibc.</summary>
    public StaticKubeletOutlook? StaticKubelet =>
        Detection.StaticKubeletDecision is { } decision && Detection.Snapshot.StaticKubeletLookup is { } lookup
            ? new StaticKubeletOutlook(Pair, new NodeIpPair(decision.Ipv4, decision.Ipv6, Pair.Primary), lookup)
            : null;
}

using K0sNodeIp.Check;

namespace K0sNodeIp.Metrics;

/// <summary>The values written to the text file at one instant.</summary>
/// <param name="Ipv4">The detected IPv4 address, or null.</param>
/// <param name="Ipv6">The detected IPv6 address, or null.</param>
/// <param name="PrimaryFamily">"IPv4" or "IPv6", or null when nothing was detected yet.</param>
/// <param name="Drift">The last drift comparison's outcome, or null before the first.</param>
/// <param name="KubeletFound">Whether the comparison found a running kubelet.</param>
/// <param name="LastSuccess">End of the last reconcile that left the target holding the detected pair.</param>
/// <param name="LastLookupSeconds">How long the last detection (snapshot, hostname lookup, choice) took.</param>
internal sealed record MetricsSnapshot(
    string? Ipv4,
    string? Ipv6,
    string? PrimaryFamily,
    DriftStatus? Drift,
    bool KubeletFound,
    DateTimeOffset? LastSuccess,
    double? LastLookupSeconds,
    long Restarts,
    long DetectionFailures,
    long RestartFailures)
{
    /// <summary>Reconciles made (the daemon's detections and --once runs; not dry runs).</summary>
    public long Reconciles { get; init; }

    /// <summary>Writes of the target file (a new pair, or only a new base command line or wording).</summary>
    public long Writes { get; init; }

    /// <summary>Restarts this agent made after which the unit failed (failed, or waiting out its RestartSec=).</summary>
    public long UnitFailuresAfterRestart { get; init; }

    /// <summary>Whether the unit failed after the agent's last restart of it; null before the first reconcile.</summary>
    public bool? UnitFailing { get; init; }

    /// <summary>Whether a later drop-in replaces the ExecStart= the agent writes; null before the first reconcile.</summary>
    public bool? ExecStartOverridden { get; init; }
}

using K0sNodeIp.Detection;

namespace K0sNodeIp.Check;

/// <summary>The result of comparing detection, the target file and the running kubelet.</summary>
/// <param name="Detected">The --node-ip value detection gives now, or null when nothing was detected.</param>
/// <param name="Differences">One sentence per pair of sources that disagree, naming both values.</param>
/// <param name="Notes">What could not be compared (no kubelet running, ...) and why the result is unknown.</param>
internal sealed record DriftReport(
    DriftStatus Status,
    string? Detected,
    TargetReading Target,
    IReadOnlyList<KubeletProcess> Kubelets,
    IReadOnlyList<string> Differences,
    IReadOnlyList<string> Notes)
{
    /// <summary>What an upgrade to a static kubelet would pick, when the kubelet here asks glibc; not a difference, as nothing drifted yet.</summary>
    public StaticKubeletOutlook? StaticKubelet { get; init; }

    public int ExitCode => (int)Status;

    public bool KubeletFound => Kubelets.Count > 0;

    /// <summary>The plugin's one-line summary: "OK: ...", "DRIFT: ..." or "UNKNOWN: ...".</summary>
    public string Summary => Status switch
    {
        DriftStatus.Agree => KubeletFound
            ? $"OK: detection, {Target.Path} and the running kubelet agree on --node-ip={Detected}"
            : $"OK: detection and {Target.Path} agree on --node-ip={Detected}; kubelet not found (not running), so not compared",
        DriftStatus.Differ => "DRIFT: " + string.Join("; ", Differences),
        _ => "UNKNOWN: " + string.Join("; ", Notes),
    };
}

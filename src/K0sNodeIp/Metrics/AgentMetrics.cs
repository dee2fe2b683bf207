using K0sNodeIp.Check;
using K0sNodeIp.Node;

namespace K0sNodeIp.Metrics;

/// <summary>
/// The metrics' current values, updated by the reconcile and the reloader (from different threads) and read
/// as one <see cref="MetricsSnapshot"/>. Counters start from the previous file's values, and each write adds only
/// what this process counted since its last write to what the file holds then (<see cref="SyncWith"/>), so they only
/// ever grow across daemon restarts and --once or --check runs beside the daemon.
/// </summary>
internal sealed class AgentMetrics
{
    private readonly Lock _lock = new();
    private MetricsSnapshot _values;

    // The counters as of the last read or write of the file: what this process counted since is the difference.
    private MetricsSnapshot _synced;

    public AgentMetrics(string? previousFile = null)
    {
        _values = new MetricsSnapshot(
            null, null, null, null, false,
            PrometheusTextfile.TimestampIn(previousFile, PrometheusTextfile.LastSuccess),
            null,
            PrometheusTextfile.CounterIn(previousFile, PrometheusTextfile.Restarts),
            PrometheusTextfile.CounterIn(previousFile, PrometheusTextfile.DetectionFailures),
            PrometheusTextfile.CounterIn(previousFile, PrometheusTextfile.RestartFailures))
        {
            UnitFailuresAfterRestart = PrometheusTextfile.CounterIn(previousFile, PrometheusTextfile.UnitFailuresAfterRestart),
            Reconciles = PrometheusTextfile.CounterIn(previousFile, PrometheusTextfile.Reconciles),
            Writes = PrometheusTextfile.CounterIn(previousFile, PrometheusTextfile.Writes),
        };
        _synced = _values;
    }

    /// <summary>
    /// The values to write now over <paramref name="fileNow"/>, the file as another process may have left it since our
    /// last write: its counters plus ours since then, and the later of the two last-success times.
    /// </summary>
    public MetricsSnapshot SyncWith(string? fileNow)
    {
        lock (_lock)
        {
            var v = _values;
            var fileSuccess = PrometheusTextfile.TimestampIn(fileNow, PrometheusTextfile.LastSuccess);
            _values = v with
            {
                Restarts = PrometheusTextfile.CounterIn(fileNow, PrometheusTextfile.Restarts) + (v.Restarts - _synced.Restarts),
                DetectionFailures = PrometheusTextfile.CounterIn(fileNow, PrometheusTextfile.DetectionFailures) + (v.DetectionFailures - _synced.DetectionFailures),
                RestartFailures = PrometheusTextfile.CounterIn(fileNow, PrometheusTextfile.RestartFailures) + (v.RestartFailures - _synced.RestartFailures),
                UnitFailuresAfterRestart = PrometheusTextfile.CounterIn(fileNow, PrometheusTextfile.UnitFailuresAfterRestart) + (v.UnitFailuresAfterRestart - _synced.UnitFailuresAfterRestart),
                Reconciles = PrometheusTextfile.CounterIn(fileNow, PrometheusTextfile.Reconciles) + (v.Reconciles - _synced.Reconciles),
                Writes = PrometheusTextfile.CounterIn(fileNow, PrometheusTextfile.Writes) + (v.Writes - _synced.Writes),
                LastSuccess = fileSuccess > v.LastSuccess || v.LastSuccess is null ? fileSuccess ?? v.LastSuccess : v.LastSuccess,
            };
            _synced = _values;
            return _values;
        }
    }

    public MetricsSnapshot Snapshot
    {
        get
        {
            lock (_lock)
            {
                return _values;
            }
        }
    }

    public void Detected(NodeIpPair? pair, TimeSpan? duration) => Update(v => v with
    {
        Ipv4 = pair is { IsEmpty: false } ? pair.Ipv4?.ToString() : v.Ipv4,
        Ipv6 = pair is { IsEmpty: false } ? pair.Ipv6?.ToString() : v.Ipv6,
        PrimaryFamily = pair is { IsEmpty: false } ? pair.Primary.Name() : v.PrimaryFamily,
        LastLookupSeconds = duration?.TotalSeconds ?? v.LastLookupSeconds,
    });

    /// <summary>One reconcile ended, having written the target or not.</summary>
    public void Reconciled(bool wrote) => Update(v => v with { Reconciles = v.Reconciles + 1, Writes = v.Writes + (wrote ? 1 : 0) });

    public void DetectionFailed() => Update(v => v with { DetectionFailures = v.DetectionFailures + 1 });

    public void Restarted() => Update(v => v with { Restarts = v.Restarts + 1 });

    public void RestartFailed() => Update(v => v with { RestartFailures = v.RestartFailures + 1 });

    public void UnitFailedAfterRestart() => Update(v => v with { UnitFailuresAfterRestart = v.UnitFailuresAfterRestart + 1 });

    public void UnitState(bool failing, bool execStartOverridden) => Update(v => v with { UnitFailing = failing, ExecStartOverridden = execStartOverridden });

    public void Succeeded(DateTimeOffset at) => Update(v => v with { LastSuccess = at });

    public void Compared(DriftReport report) => Update(v => v with { Drift = report.Status, KubeletFound = report.KubeletFound });

    private void Update(Func<MetricsSnapshot, MetricsSnapshot> change)
    {
        lock (_lock)
        {
            _values = change(_values);
        }
    }
}

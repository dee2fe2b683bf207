using K0sNodeIp.Agent;
using K0sNodeIp.Apply;
using K0sNodeIp.Check;
using K0sNodeIp.Formats;
using K0sNodeIp.Native;
using K0sNodeIp.Node;
using K0sNodeIp.Reload;
using Microsoft.Extensions.Logging;

namespace K0sNodeIp.Metrics;

/// <summary>
/// Keeps the metrics and writes the text file atomically (temporary file, fsync, rename) after each reconcile, so
/// node_exporter never reads half a file. A file that cannot be written is a warning: metrics never stop the agent.
/// </summary>
internal sealed class MetricsReporter : IReconcileObserver
{
    private readonly string _path;
    private readonly DriftCheck? _check;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private string? _lastError;
    private NodeIpPair? _lastPair;
    private TargetInputs? _lastInputs;

    /// <summary>
    /// After a restart the new kubelet takes a moment to start (under k0s the worker starts it): the drift gauge is
    /// compared again at these delays, so it does not report the old kubelet until the next reconcile.
    /// </summary>
    public static readonly TimeSpan[] RecompareAfterRestart = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    /// <param name="check">Compares after each reconcile for the drift gauge; null leaves drift out.</param>
    public MetricsReporter(string path, DriftCheck? check, TimeProvider time, ILogger logger)
    {
        _path = path;
        _check = check;
        _time = time;
        _logger = logger;
        Metrics = new AgentMetrics(ReadPrevious(path));
    }

    public AgentMetrics Metrics { get; }

    public string Path => _path;

    public void Reconciled(ReconcileResult result, ReconcileObservation observation)
    {
        Metrics.UnitState(observation.Health.FailingAfterRestart, observation.Health.ExecStartOverridden);
        _lastInputs = observation.TargetInputs;
        Metrics.Reconciled(observation.Wrote);
        AfterReconcile(result, observation.DetectionDuration, observation.DetectionFailed);
    }

    public void UnitHealthChanged(UnitHealth health)
    {
        Metrics.UnitState(health.FailingAfterRestart, health.ExecStartOverridden);
        Write();
    }

    public void UnitFailedAfterRestart() => Metrics.UnitFailedAfterRestart();

    public void ReloadCompleted(ReloadOutcome outcome)
    {
        if (outcome == ReloadOutcome.Restarted)
        {
            Metrics.Restarted();
            _ = RecompareLaterAsync();
        }
        else if (outcome == ReloadOutcome.Failed)
        {
            Metrics.RestartFailed();
        }

        // A deferred restart ends outside a reconcile: the counters must not wait for the next one.
        Write();
    }

    public void AfterReconcile(ReconcileResult result, TimeSpan? detectionDuration, bool detectionFailed)
    {
        if (detectionFailed)
        {
            Metrics.DetectionFailed();
        }

        Metrics.Detected(result.Pair, detectionDuration);
        if (result.Status is ReconcileStatus.Changed or ReconcileStatus.Unchanged && result.Pair is not null)
        {
            Metrics.Succeeded(_time.GetUtcNow());
        }

        _lastPair = result.Pair;
        if (_check is not null)
        {
            Metrics.Compared(_check.Compare(result.Pair, _lastInputs));
        }

        Write();
    }

    private async Task RecompareLaterAsync()
    {
        if (_check is null)
        {
            return;
        }

        var waited = TimeSpan.Zero;
        foreach (var at in RecompareAfterRestart)
        {
            await Task.Delay(at - waited, _time);
            waited = at;
            try
            {
                Metrics.Compared(_check.Compare(_lastPair, _lastInputs));
                Write();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning("cannot compare the running kubelet after its restart: {Error}", e.Message);
            }
        }
    }

    /// <summary>--check: the comparison it made, and the detection it ran.</summary>
    public void AfterCheck(DriftReport report, NodeIpPair? detected, TimeSpan detectionDuration)
    {
        Metrics.Detected(detected, detectionDuration);
        Metrics.Compared(report);
        Write();
    }

    public void Write()
    {
        try
        {
            // Read again right before the write: --once, --check or the daemon may have counted since (after a reconcile
            // this runs under the state file's lock, which serialises them).
            var values = Metrics.SyncWith(ReadPrevious(_path));
            AtomicFileWriter.Replace(_path, System.Text.Encoding.UTF8.GetBytes(PrometheusTextfile.Render(values)), othersFolder: OthersFolder.Write);
            _lastError = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TargetException)
        {
            // Once per distinct error, not at every reconcile.
            if (_lastError != e.Message)
            {
                _lastError = e.Message;
                _logger.LogWarning("cannot write the metrics file {Path}: {Error}", _path, e.Message);
            }
        }
    }

    /// <summary>A metrics file is a few KiB; anything longer than this is not one of ours.</summary>
    private const int MaxPreviousBytes = 256 * 1024;

    /// <summary>
    /// The counters of the previous file (--once, --check and the daemon add to one another's): read without trusting it,
    /// since others may write its folder (a FIFO would hang the read, a symlink could lead root to /dev/zero or to a
    /// root-only file, whose lines would land in this world-readable one). Anything but our regular file is "no previous
    /// counters", with one warning.
    /// </summary>
    private string? ReadPrevious(string path)
    {
        try
        {
            var text = BoundedRead.RegularFile(path, MaxPreviousBytes, out var whyNot);
            if (whyNot is not null && _lastPreviousProblem != whyNot)
            {
                _lastPreviousProblem = whyNot;
                _logger.LogWarning("the previous metrics file {Path} is not read ({Why}): counters start again from zero; it is replaced", path, whyNot);
            }

            return text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private string? _lastPreviousProblem;
}

namespace K0sNodeIp.Agent;

/// <summary>
/// Whether the daemon's loop still makes progress, for the watchdog: idle (waiting for a change) is progress, and so is a
/// reconcile within its bound; a reconcile that overruns it (a hung lookup, read or bus call) is not, so the pings stop and
/// systemd restarts the agent. Measured on the monotonic clock.
/// </summary>
internal sealed class LoopProgress(TimeProvider time, TimeSpan reconcileBound)
{
    private long _reconcileStarted = Idle;
    private const long Idle = -1;

    /// <summary>False while a reconcile has run longer than its bound.</summary>
    public bool OnTime
    {
        get
        {
            var started = Interlocked.Read(ref _reconcileStarted);
            return started == Idle || time.GetElapsedTime(started) <= reconcileBound;
        }
    }

    public void ReconcileStarted() => Interlocked.Exchange(ref _reconcileStarted, time.GetTimestamp());

    public void ReconcileFinished() => Interlocked.Exchange(ref _reconcileStarted, Idle);

    /// <summary>
    /// The longest a reconcile may rightly take: the lookup's bound (Detection:LookupTimeout, else half an hour, beyond
    /// any resolver's worst case with Go's clamps), and per systemd call Reload:JobTimeout, for every attempt and its
    /// back-off, plus the queries around the restart.
    /// </summary>
    public static TimeSpan BoundFor(Configuration.K0sNodeIpOptions options)
    {
        var lookup = options.Detection.LookupTimeout ?? TimeSpan.FromMinutes(30);
        var attempts = options.Reload.Attempts;
        var backoff = TimeSpan.FromSeconds(Math.Pow(2, attempts));
        return lookup * 2 + options.Reload.JobTimeout * (attempts + 3) + backoff + TimeSpan.FromMinutes(1);
    }
}

using K0sNodeIp.Configuration;
using K0sNodeIp.Formats;
using K0sNodeIp.Watch;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace K0sNodeIp.Agent;

/// <summary>
/// The daemon: a first reconcile during start-up (so READY=1 follows a good drop-in, and the k0s unit
/// ordered after us starts with it), then a loop woken only by netlink events, SIGHUP, a change of the
/// base unit file or of the resolver's files, the lookup interval (only while the lookup decides), the safety
/// timer, or a retry after a failure.
/// </summary>
internal sealed class AgentService(
    Reconciler reconciler,
    NetlinkWatcher watcher,
    Debouncer debouncer,
    WatchOptions options,
    IReadOnlyList<string> resolverFiles,
    bool dryRun,
    ISystemdNotifier notifier,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<AgentService> logger,
    LoopProgress? progress = null) : IHostedService, IDisposable
{
    /// <summary>Why the loop died, when it did: the process then exits non-zero so Restart=on-failure acts.</summary>
    public Exception? Failure { get; private set; }

    private readonly CancellationTokenSource _stopping = new();
    private readonly LoopProgress _progress = progress ?? new LoopProgress(time, TimeSpan.MaxValue);
    private ChangeTriggers? _triggers;
    private Task? _loop;
    private Task? _watchdog;
    private bool _lookupDecided;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("k0s-node-ip {Version} starting: target {Target} ({Path}){DryRun}",
            ProgramInfo.Version, reconciler.Target.Description, reconciler.Target.Path, dryRun ? ", dry run" : string.Empty);

        // Subscribe before the first detection so that no change slips between the two.
        watcher.Failed += failure => NotifyStatus($"{failure}; watchdog pings stopped");
        watcher.Start();
        _triggers = new ChangeTriggers(debouncer.Signal, [.. reconciler.Target.WatchedFiles, .. resolverFiles]);

        var backoff = options.RetryBackoff;
        var started = time.GetTimestamp();
        var trigger = "start";
        while (true)
        {
            // Measured on the monotonic clock: a clock step at boot (NTP on a board without an RTC) changes nothing.
            var waited = time.GetElapsedTime(started);
            var wait = new StartupWait(options.StartupWait, Over: waited >= options.StartupWait);
            var result = await reconciler.ReconcileAsync(trigger, dryRun, cancellationToken, starting: true, wait);
            if (result.Status == ReconcileStatus.WaitingForFamily)
            {
                NotifyStatus(result.Error ?? string.Empty);
                try
                {
                    // Woken by the address or route that brings the family (netlink), or at the end of the wait.
                    var remaining = options.StartupWait - time.GetElapsedTime(started);
                    var reasons = await debouncer.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken);
                    trigger = reasons.Count == 0 ? "start, wait over" : $"start, {Summarize(reasons)}";
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    logger.LogWarning("stopped while waiting for a node IP family; {Path} is as it was", reconciler.Target.Path);
                    return;
                }

                continue;
            }

            _lookupDecided = result.LookupDecided;

            // A node IP in place is enough to be ready; a restart that failed is owed and retried by the loop. With no
            // k0s unit yet there is nothing to order before: ready, and the unit's appearance brings the write. A target
            // the sandbox will not let us write never will be by waiting: ready too, so the kubelet ordered after us
            // starts with its old arguments now rather than after TimeoutStartSec; the loop retries and STATUS= says why.
            if (result.Status is ReconcileStatus.Changed or ReconcileStatus.Unchanged or ReconcileStatus.UnitAbsent or ReconcileStatus.WriteRefused || result.Pair is not null)
            {
                Status(result);
                break;
            }

            NotifyStatus($"waiting for a node IP: {result.Error}");
            try
            {
                await Task.Delay(backoff, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped before a first node IP (SIGTERM, TimeoutStartSec): a clean stop, not a start-up failure.
                logger.LogWarning("stopped before a node IP was found; {Path} is as it was", reconciler.Target.Path);
                return;
            }

            backoff = Next(backoff);
        }

        // A unit that fails after our restart is seen after the reconcile that restarted it: STATUS= follows.
        reconciler.WarningsChanged += warnings => Status(_last with { Warnings = warnings });
        _loop = Task.Run(() => GuardedLoopAsync(_stopping.Token), CancellationToken.None);
        // A loop that died or is stuck in one reconcile, or a watcher that gave up, stops the pings, and systemd restarts us.
        _watchdog = new Watchdog(notifier, time).RunAsync(() => _loop is not { IsCompleted: true } && watcher.Healthy && _progress.OnTime, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        foreach (var task in new[] { _loop, _watchdog })
        {
            if (task is not null)
            {
                await task.WaitAsync(cancellationToken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }
    }

    public void Dispose()
    {
        _triggers?.Dispose();
        watcher.Dispose();
        _stopping.Dispose();
    }

    /// <summary>The loop, failing loudly: an exception is logged with its reason and stops the process, never swallowed.</summary>
    private async Task GuardedLoopAsync(CancellationToken stopping)
    {
        try
        {
            await LoopAsync(stopping);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            Failure = e;
            logger.LogCritical("the agent's loop failed: {Error}; exiting with status 1 so that systemd restarts it", e.ToString());
            NotifyStatus($"failed: {e.Message}");
            lifetime.StopApplication();
        }
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        // The start's own result may ask for a recheck too (a grace continued from the agent's previous run).
        var wait = UntilRecheck(_last, options.SafetyInterval);
        var backoff = options.RetryBackoff;
        while (!stopping.IsCancellationRequested)
        {
            IReadOnlyList<string> reasons;
            try
            {
                reasons = await WaitForChangeAsync(wait, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var trigger = reasons.Count == 0 ? "timer" : Summarize(reasons);
            ReconcileResult result;
            _progress.ReconcileStarted();
            try
            {
                result = await reconciler.ReconcileAsync(trigger, dryRun, stopping);
                _lookupDecided = result.LookupDecided;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                _progress.ReconcileFinished();
            }

            if (dryRun && result.Diff is not null)
            {
                // One journal record per line of the diff: a record is one line (its text values are escaped).
                logger.LogInformation("dry run: the change would be:");
                foreach (var line in result.Diff.TrimEnd('\n').Split('\n'))
                {
                    logger.LogInformation("  {DiffLine}", line);
                }
            }

            if (result.Status == ReconcileStatus.UnitAbsent)
            {
                // Quiet: the unit file's watch brings the next reconcile; the retries only cover a missed event.
                wait = backoff;
                backoff = Next(backoff);
                Status(result);
                continue;
            }

            if (result.Status is ReconcileStatus.Failed or ReconcileStatus.NothingDetected or ReconcileStatus.RestartFailed or ReconcileStatus.WriteRefused)
            {
                wait = backoff;
                backoff = Next(backoff);
                NotifyStatus($"keeping the last node IP; retrying in {wait}: {result.Error}");
                continue;
            }

            backoff = options.RetryBackoff;
            wait = options.SafetyInterval;
            wait = UntilRecheck(result, wait);

            Status(result);
        }
    }

    private ReconcileResult _last = new(ReconcileStatus.Unchanged, null);

    /// <summary>
    /// Waits for a change, or <paramref name="wait"/>. While the hostname lookup decides a family, the name is
    /// re-resolved every Watch:LookupInterval in between (kubelet itself re-resolves at each node-status update), and
    /// only a changed answer ends the wait; with no lookup deciding, nothing wakes up but events.
    /// </summary>
    private async Task<IReadOnlyList<string>> WaitForChangeAsync(TimeSpan wait, CancellationToken stopping)
    {
        var interval = options.LookupInterval;
        var started = time.GetTimestamp();
        while (true)
        {
            var left = wait - time.GetElapsedTime(started);
            if (!_lookupDecided || interval <= TimeSpan.Zero || left <= interval)
            {
                return await debouncer.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, stopping);
            }

            var reasons = await debouncer.WaitAsync(interval, stopping);
            if (reasons.Count > 0)
            {
                return reasons;
            }

            try
            {
                if (await reconciler.LookupChangedAsync(stopping))
                {
                    return ["hostname lookup answer changed"];
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The full reconcile at the end of the wait reports a lookup that fails; this check only looks for change.
                logger.LogDebug("lookup check failed: {Error}", e.Message);
            }
        }
    }

    /// <summary>STATUS=, escaped: its text quotes files, DNS and interface names, and a newline in it would add an sd_notify assignment.</summary>
    private void NotifyStatus(string text) => notifier.Notify(new ServiceState("STATUS=" + OutsideText.Escape(text)));

    private void Status(ReconcileResult result)
    {
        _last = result;
        var warnings = result.Warnings.Count > 0 ? $"; warning: {string.Join("; ", result.Warnings.Select(w => w.Text))}" : string.Empty;
        if (!watcher.Healthy)
        {
            // A watcher that gave up stays visible, whatever later reconciles report.
            warnings += "; netlink watcher failed: changes are seen only by the safety timer";
        }
        var state = result.Status is ReconcileStatus.UnitAbsent or ReconcileStatus.WriteRefused ? result.Error
            : dryRun ? $"dry run: node IP {result.Pair} detected, {reconciler.Target.Path} not written"
            : result.Held ? $"node IP {result.Pair} detected; {reconciler.Target.Path} keeps its last pair until {result.RecheckAt:u} (Watch:FamilyGracePeriod)"
            : $"node IP {result.Pair} in {reconciler.Target.Path}";
        NotifyStatus($"{state}{warnings}");

        MemoryTrim.BeforeIdling();
    }

    /// <summary><paramref name="wait"/>, or less when <paramref name="result"/> asks for a recheck sooner (a family's grace ends).</summary>
    private TimeSpan UntilRecheck(ReconcileResult result, TimeSpan wait)
    {
        if (result.RecheckAt is not { } at)
        {
            return wait;
        }

        var untilRecheck = at - time.GetUtcNow() + TimeSpan.FromMilliseconds(100);
        return untilRecheck < wait ? (untilRecheck < TimeSpan.Zero ? TimeSpan.Zero : untilRecheck) : wait;
    }

    private TimeSpan Next(TimeSpan backoff) => backoff * 2 < options.SafetyInterval ? backoff * 2 : options.SafetyInterval;

    private static string Summarize(IReadOnlyList<string> reasons) =>
        reasons.Count == 1 ? reasons[0] : $"{reasons[0]} and {reasons.Count - 1} more change(s)";
}

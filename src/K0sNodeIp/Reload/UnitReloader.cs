using K0sNodeIp.Configuration;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace K0sNodeIp.Reload;

/// <summary>
/// Restarts the kubelet's unit after a write: daemon-reload when a drop-in changed, then the restart, retried
/// with backoff (Polly) and checked by its job result. Rate-limited: at most one restart per
/// <c>Reload:MinInterval</c>; requests inside the window coalesce into one restart at its end, which applies
/// whatever the file holds then (the latest pair wins).
/// </summary>
internal sealed class UnitReloader : IDisposable
{
    private readonly ISystemdManager _systemd;
    private readonly ReloadOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<TimeSpan, TimeSpan> _pickDelay;
    private readonly ResiliencePipeline _retry;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _lock = new();
    // A monotonic timestamp (TimeProvider.GetTimestamp): a wall-clock step (NTP at boot on a board without an RTC)
    // neither defers a restart by the step nor lets one through early.
    private long? _lastRestart;
    private ReloadRequest? _pending;
    private bool _pendingDaemonReload;
    private ITimer? _deferred;

    /// <param name="pickDelay">The spread of a restart that may wait, given Reload:RandomDelay (default: uniform up to it).</param>
    public UnitReloader(ISystemdManager systemd, ReloadOptions options, TimeProvider time, ILogger logger, Func<TimeSpan, TimeSpan>? pickDelay = null)
    {
        _systemd = systemd;
        _options = options;
        _time = time;
        _logger = logger;
        _pickDelay = pickDelay ?? (max => max * Random.Shared.NextDouble());
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.Attempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                MaxRetryAttempts = options.Attempts - 1,
                Delay = TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    _logger.LogWarning("restart attempt {Attempt} failed: {Error}; retrying in {Delay}", args.AttemptNumber + 1, args.Outcome.Exception?.Message, args.RetryDelay);
                    return default;
                },
            });
        }

        _retry = builder.Build();
    }

    /// <summary>Raised after each restart attempt sequence that ended, with its outcome (tests and STATUS= use it).</summary>
    public event Action<ReloadRequest, ReloadOutcome>? Completed;

    /// <summary>False with Reload:Mode=none: the unit is never restarted for a new pair (a daemon-reload and a refused start still are).</summary>
    public bool Enabled => _options.Enabled;

    public async Task<ReloadOutcome> RequestAsync(ReloadRequest request, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return await WithoutRestartAsync(request, cancellationToken);
        }

        if (request.Action == ReloadAction.DaemonReloadOnly)
        {
            // No restart, so no rate limit; a restart pending in the window is left as it is.
            await _gate.WaitAsync(cancellationToken);
            try
            {
                var reloaded = await RestartAsync(request, request.DaemonReload, cancellationToken);
                Completed?.Invoke(request, reloaded);
                return reloaded;
            }
            finally
            {
                _gate.Release();
            }
        }

        lock (_lock)
        {
            _pending = request;
            _pendingDaemonReload |= request.DaemonReload;
            var window = _lastRestart is { } last && _time.GetElapsedTime(last) is var since && since < _options.MinInterval ? _options.MinInterval - since : TimeSpan.Zero;
            if (window > TimeSpan.Zero)
            {
                _deferred ??= _time.CreateTimer(_ => _ = RunPendingAsync(CancellationToken.None), null, window, Timeout.InfiniteTimeSpan);
                _logger.LogInformation("{Change}; restart of {Unit} deferred by {Remaining} (Reload:MinInterval {Interval})", request.Change, request.Unit, window, _options.MinInterval);
                return ReloadOutcome.Deferred;
            }

            // A restart that can wait is spread over Reload:RandomDelay, so the nodes a shared change reaches together
            // restart their kubelets at different times; one already spread takes a newer request along unchanged.
            if (request.MayWait && _options.RandomDelay > TimeSpan.Zero)
            {
                if (_deferred is null)
                {
                    var delay = _pickDelay(_options.RandomDelay);
                    _deferred = _time.CreateTimer(_ => _ = RunPendingAsync(CancellationToken.None), null, delay, Timeout.InfiniteTimeSpan);
                    _logger.LogInformation("{Change}; restart of {Unit} in {Delay} (Reload:RandomDelay up to {Max}: nodes a shared change reaches restart at different times)",
                        request.Change, request.Unit, delay, _options.RandomDelay);
                }
                else
                {
                    _logger.LogInformation("{Change}; joins the restart of {Unit} already spread", request.Change, request.Unit);
                }

                return ReloadOutcome.Deferred;
            }
        }

        return await RunPendingAsync(cancellationToken);
    }

    /// <summary>
    /// Reload:Mode=none: the unit is never restarted for a new pair, but systemd still reads what was written and a start
    /// the drop-in's ExecCondition= refused is made (an upgrade of k0s restarts it before the drop-in follows), or a
    /// watch-only node would be left with its worker stopped. <see cref="ReloadOutcome.Disabled"/> unless that start was made.
    /// </summary>
    private async Task<ReloadOutcome> WithoutRestartAsync(ReloadRequest request, CancellationToken cancellationToken)
    {
        if (!request.DaemonReload)
        {
            _logger.LogInformation("{Change}; Reload:Mode=none, so {Unit} was not restarted", request.Change, request.Unit);
            return ReloadOutcome.Disabled;
        }

        var reloadOnly = request with { Action = ReloadAction.DaemonReloadOnly, Change = request.Change + " (Reload:Mode=none)" };
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var outcome = await RestartAsync(reloadOnly, daemonReload: true, cancellationToken);
            Completed?.Invoke(reloadOnly, outcome);
            return outcome == ReloadOutcome.DaemonReloaded ? ReloadOutcome.Disabled : outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Asks systemd to restart the agent's own unit, without waiting (this process is what stops): its ExecStartPre=
    /// makes what the sandbox cannot (a new k0s unit's drop-in folder). False when it could not be asked.
    /// </summary>
    public async Task<bool> RestartOwnUnitAsync(string unit, CancellationToken cancellationToken) =>
        await AskOnceAsync("restart", unit, token => _systemd.TryRestartUnitAsync(unit, waitForJob: false, token), cancellationToken) is { Succeeded: true };

    /// <summary>Starts one of the package's helper units and waits for it; false (said in the log) when it did not run.</summary>
    public async Task<bool> StartHelperAsync(string unit, CancellationToken cancellationToken)
    {
        var result = await AskOnceAsync("start", unit, token => _systemd.StartUnitAsync(unit, waitForJob: true, token), cancellationToken);
        if (result is { Succeeded: false })
        {
            _logger.LogWarning("{Unit} did not run: {Result}", unit, result);
        }

        return result is { Succeeded: true };
    }

    /// <summary>
    /// One job for the agent's own units (its restart for a new drop-in folder, the tidy unit), without retries, bounded by
    /// Reload:JobTimeout; null when systemd could not be asked (said in the log). Reload:Mode=none turns off the kubelet's
    /// restarts, not these: a watch-only agent must still be able to write a k0s unit installed after it.
    /// </summary>
    private async Task<JobResult?> AskOnceAsync(string verb, string unit, Func<CancellationToken, Task<JobResult>> job, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.JobTimeout);
        try
        {
            return await job(timeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("cannot ask systemd to {Verb} {Unit}: {Error}", verb, unit, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Whether a run of the unit exists now (<see cref="UnitStatus.ActiveNow"/>), whatever job is pending; null when systemd
    /// cannot be asked. A boot's worker, inactive with its start job waiting for our READY=1, has no run yet: unlike
    /// <see cref="ISystemdManager.IsRunningAsync"/>, which counts that start job.
    /// </summary>
    public async Task<bool?> IsActiveNowAsync(string unit, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.JobTimeout);
        try
        {
            return await _systemd.StatusAsync(unit, timeout.Token) is { ActiveNow: true };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("cannot ask systemd whether {Unit} runs: {Error}", unit, e.Message);
            return null;
        }
    }

    /// <summary>How long a restarted unit must stay up before it counts as started well (a failing k0s exits within a second or two).</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan StatusPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>The unit's state (asked with Reload:Mode=none too: a refused start is made then as well); null when it is not loaded or systemd cannot be asked.</summary>
    public async Task<UnitStatus?> StatusAsync(string unit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.JobTimeout);
        try
        {
            return await _systemd.StatusAsync(unit, timeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogDebug("cannot ask systemd for {Unit}'s state: {Error}", unit, e.Message);
            return null;
        }
    }

    /// <summary>
    /// After a restart: watches the unit (bounded: its job, then <see cref="SettleTime"/> of running) and returns its state
    /// when it failed (failed, or waiting out RestartSec= after an exit), null when it stayed up or cannot be asked.
    /// It only watches: what happens next is the unit's own Restart= policy, never another restart from here.
    /// </summary>
    public async Task<UnitStatus?> WatchStartAsync(string unit, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp();
        var limit = _options.JobTimeout + SettleTime;
        long? settling = null;
        uint? restarts = null;
        while (_time.GetElapsedTime(deadline) < limit)
        {
            if (await StatusAsync(unit, cancellationToken) is not { } status)
            {
                return null;
            }

            if (status.PendingJob == UnitJobKind.None)
            {
                restarts ??= status.Restarts;
                if (status.Failing || status.Restarts > restarts)
                {
                    return status;
                }

                if (status.ActiveState is UnitActiveState.Active or UnitActiveState.Reloading)
                {
                    settling ??= _time.GetTimestamp();
                    if (_time.GetElapsedTime(settling.Value) >= SettleTime)
                    {
                        return null;
                    }
                }
                else if (status.ActiveState is UnitActiveState.Inactive or UnitActiveState.Deactivating)
                {
                    // Stopped by someone else meanwhile: not a failure of the start.
                    return null;
                }
            }

            await Task.Delay(StatusPoll, _time, cancellationToken);
        }

        return null;
    }

    public void Dispose()
    {
        _deferred?.Dispose();
        _gate.Dispose();
    }

    private async Task<ReloadOutcome> RunPendingAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        ReloadRequest? request;
        bool daemonReload;
        long? previous, started;
        lock (_lock)
        {
            request = _pending;
            daemonReload = _pendingDaemonReload;
            _pending = null;
            _pendingDaemonReload = false;
            _deferred?.Dispose();
            _deferred = null;
            previous = _lastRestart;
            started = _lastRestart = _time.GetTimestamp();
        }

        try
        {
            // Another run (the deferred timer) took the request; its outcome reaches the reconciler through Completed.
            if (request is null)
            {
                return ReloadOutcome.Deferred;
            }

            var outcome = await RestartAsync(request, daemonReload, cancellationToken);
            if (outcome == ReloadOutcome.Failed)
            {
                // A failed attempt is no restart: it must not make the retry wait for Reload:MinInterval.
                lock (_lock)
                {
                    if (_lastRestart == started)
                    {
                        _lastRestart = previous;
                    }
                }
            }

            Completed?.Invoke(request, outcome);
            return outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ReloadOutcome> RestartAsync(ReloadRequest request, bool daemonReload, CancellationToken cancellationToken)
    {
        try
        {
            var running = true;
            var startedAfterRefusal = false;
            await _retry.ExecuteAsync(async ct =>
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_options.JobTimeout);

                // Even for a stopped unit: systemd must have read the new drop-in by the time the operator starts it.
                if (daemonReload)
                {
                    await _systemd.DaemonReloadAsync(timeout.Token);
                }

                // A start the drop-in's ExecCondition= refused (an upgrade rewrote the unit and restarted it before the
                // drop-in followed): now that systemd holds the re-derived drop-in, make that one start.
                if (daemonReload && await _systemd.StatusAsync(request.Unit, timeout.Token) is { StartRefusedByCondition: true })
                {
                    var started = await _systemd.StartUnitAsync(request.Unit, request.WaitForJob, timeout.Token);
                    if (!started.Succeeded)
                    {
                        throw new SystemdException($"start of {request.Unit} ended with job result \"{started}\"");
                    }

                    startedAfterRefusal = true;
                    return;
                }

                // A unit the operator stopped stays stopped (try-restart); the check only words the log line.
                running = await _systemd.IsRunningAsync(request.Unit, timeout.Token);
                if (!running || request.Action == ReloadAction.DaemonReloadOnly)
                {
                    return;
                }

                var result = await _systemd.TryRestartUnitAsync(request.Unit, request.WaitForJob, timeout.Token);
                if (!result.Succeeded)
                {
                    throw new SystemdException($"restart of {request.Unit} ended with job result \"{result}\"");
                }
            }, cancellationToken);
            if (startedAfterRefusal)
            {
                _logger.LogInformation("{Change}; daemon-reload; started {Unit}, whose last start an ExecCondition= had refused (its unit file changed after the drop-in was written, or its first start was held)", request.Change, request.Unit);
                return ReloadOutcome.StartedAfterRefusal;
            }

            if (request.Action == ReloadAction.DaemonReloadOnly)
            {
                _logger.LogInformation("{Change}; daemon-reload{Note}", request.Change, running ? $"; {request.Unit} keeps running and is not restarted" : string.Empty);
                return ReloadOutcome.DaemonReloaded;
            }

            if (!running)
            {
                _logger.LogInformation("{Change}; {Reloaded}{Unit} is not running; the new --node-ip applies when it starts", request.Change,
                    daemonReload ? "daemon-reload; " : string.Empty, request.Unit);
                return ReloadOutcome.NotRunning;
            }

            _logger.LogInformation("{Change}; {Reloaded}{Restarted} {Unit}", request.Change, daemonReload ? "daemon-reload, " : string.Empty,
                request.WaitForJob ? "restarted" : "queued a restart of", request.Unit);
            return ReloadOutcome.Restarted;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogError("{Change}; restarting {Unit} failed after {Attempts} attempt(s): {Error}", request.Change, request.Unit, _options.Attempts, e.Message);
            return ReloadOutcome.Failed;
        }
    }
}

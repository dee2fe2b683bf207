using K0sNodeIp.Apply;
using K0sNodeIp.Detection;
using K0sNodeIp.Formats;
using K0sNodeIp.Node;
using K0sNodeIp.Reload;
using K0sNodeIp.Targets;
using Microsoft.Extensions.Logging;

namespace K0sNodeIp.Agent;

/// <summary>
/// One reconcile, shared by --once and the daemon: detect, decide, render the target, write it only when
/// the content changed, then have the unit restarted. A failed detection or write leaves the file as it was.
/// </summary>
internal sealed class Reconciler(
    NodeIpDetector detector,
    INodeIpTarget target,
    IpFamily? configuredPrimaryFamily,
    UnitReloader reloader,
    string? unit,
    FamilyGrace? grace,
    ILogger logger,
    string? statePath = null)
{
    private long _detections;
    private readonly ReconcileWarnings _warnings = new(logger);
    private readonly AppliedStateBook _state = new(statePath, target.Path, unit, logger);
    private readonly FailedLookupKeep _lookupKeep = new();

    // Set when the file was written but the unit's restart failed: the next reconcile asks again even when
    // the file is unchanged, so the kubelet never keeps running with an old --node-ip unnoticed.
    private volatile ReloadRequest? _restartOwed;
    private bool _checkedRunningUnit;
    private bool _lookupDecided;
    private bool _waitLogged;
    private string? _unitAbsent;
    private long _startWatches;

    /// <summary>Raised when a warning appears or clears outside a reconcile (a unit that failed after our restart), for STATUS=.</summary>
    public event Action<IReadOnlyList<string>>? WarningsChanged;

    /// <summary>
    /// The daemon's: with nothing to write, still ask systemd whether a start was refused by the drop-in's
    /// ExecCondition= (the condition wakes the daemon with SIGHUP). --once leaves systemd alone when nothing changed.
    /// </summary>
    public bool FollowsRefusedStarts { get; init; } = true;

    /// <summary>Who watches the results (the metrics file); none by default.</summary>
    public IReconcileObserver? Observer { get; set; }

    /// <summary>Detections run so far (the watcher's filtering is measured by it).</summary>
    public long Detections => Interlocked.Read(ref _detections);

    public INodeIpTarget Target => target;

    private TimeSpan? _detectionDuration;
    private TargetInputs? _observedInputs;

    // What the agent last wrote, for the warning when the unit then fails (no second read of the file).
    private volatile string? _lastWrittenNodeIp;
    private bool _detectionFailed;

    /// <param name="starting">The daemon's first reconcile, before READY=1: restarts are queued, not awaited.</param>
    /// <param name="startupWait">While starting: the wait for expected families (Watch:StartupWait) is still on.</param>
    public async Task<ReconcileResult> ReconcileAsync(string trigger, bool dryRun, CancellationToken cancellationToken, bool starting = false, StartupWait? startupWait = null)
    {
        _detectionDuration = null;
        _detectionFailed = false;
        _observedInputs = null;
        _lookupDecided = false;
        using var exclusive = dryRun ? null : await LockStateAsync(cancellationToken);
        var result = await ReconcileCoreAsync(trigger, dryRun, starting, startupWait, cancellationToken);
        result = result with
        {
            Warnings = _warnings.Current,
            LookupDecided = _lookupDecided,
        };
        if (!dryRun)
        {
            Observer?.Reconciled(result, new ReconcileObservation(_detectionDuration, _detectionFailed, _warnings.Health, _observedInputs));
        }

        return result;
    }

    /// <summary>read (the detector: the node and the target's inputs) → decide → desire → plan → apply, each from the one before.</summary>
    private async Task<ReconcileResult> ReconcileCoreAsync(string trigger, bool dryRun, bool starting, StartupWait? startupWait, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _detections);
        DetectionResult detected;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            detected = await detector.DetectAsync(cancellationToken);
            _detectionDuration = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _detectionFailed = true;
            logger.LogWarning("detection #{Number} ({Trigger}) failed: {Error}; keeping {Path} as it is", number, trigger, e.Message, target.Path);
            return new ReconcileResult(ReconcileStatus.Failed, null, Error: e.Message);
        }

        _warnings.Lookup(detected.Snapshot);
        try
        {
            // Read with the node (the read stage): render, compare and every rule below use this one read of the files.
            var inputs = detected.Snapshot.Target.Inputs;
            if (inputs.Path != target.Path)
            {
                throw new InvalidOperationException($"the detector read the target {inputs.Path}, not {target.Path}");
            }

            _observedInputs = inputs;

            // A target that cannot be read or replaced (a symlink, a folder) fails here, before any wait or grace.
            var current = INodeIpTarget.CurrentOf(inputs);
            _warnings.ClearStartupWhenComplete(detected.Decision);
            if (starting && startupWait is not null && await WaitForExpectedFamiliesAsync(detected.Decision, detected.Snapshot.Target, startupWait, dryRun, cancellationToken) is { } waiting)
            {
                return waiting;
            }

            var (desired, pair) = Desire(detected, inputs);
            if (desired.HoldFile)
            {
                logger.LogInformation("detection #{Number} ({Trigger}): {Pair}; {Path} is held as it is until {RecheckAt:u}", number, trigger, pair, target.Path, desired.RecheckAt);
                return new ReconcileResult(ReconcileStatus.Unchanged, pair, RecheckAt: desired.RecheckAt) { Held = true };
            }

            if (pair.IsEmpty)
            {
                _detectionFailed = true;
                var decision = detected.Decision;
                var why = string.Join("; ", decision.Notes.Concat(decision.Ipv4Decision.Notes).Concat(decision.Ipv6Decision.Notes));
                logger.LogWarning("detection #{Number} ({Trigger}) found no address ({Why}); keeping {Path} as it is", number, trigger, why, target.Path);
                return new ReconcileResult(ReconcileStatus.NothingDetected, null, Error: why);
            }

            logger.LogInformation("detection #{Number} ({Trigger}): {Pair}", number, trigger, pair);
            var plan = ReconcilePlan.For(target, pair, inputs, unit);
            if (_unitAbsent is not null)
            {
                logger.LogInformation("{Unit} is installed again", unit ?? target.Description);
                _unitAbsent = null;
            }

            _warnings.ForeignLines(target.ForeignLines(current), target.Path, target.LocalDropInPath);
            if (plan.Kind == WriteKind.None)
            {
                _warnings.ExecStartOverride(target.ExecStartOverriddenBy(inputs), target.Path, unit);
                return await MakeUpAsync(current, pair, desired.RecheckAt, dryRun, starting, cancellationToken);
            }

            if (dryRun)
            {
                logger.LogInformation("dry run: would change {Change}", plan.Change);
                return new ReconcileResult(ReconcileStatus.Changed, pair, LineDiff.Render(target.Path, current, plan.Content), RecheckAt: desired.RecheckAt);
            }

            return await ApplyAsync(plan, inputs, current, pair, desired.RecheckAt, starting, cancellationToken);
        }
        catch (UnitAbsentException e)
        {
            // k0s not installed yet, or reset: a state, not an error. One warning when it begins; the unit file's watch
            // (created, replaced) brings the next reconcile, and retries say nothing more.
            if (_unitAbsent is null)
            {
                logger.LogWarning("{Error}; {Path} is written when the unit appears", e.Message, target.Path);
            }
            else
            {
                logger.LogInformation("detection #{Number} ({Trigger}): {Unit} still absent", number, trigger, unit ?? target.Description);
            }

            _unitAbsent = e.Message;
            return new ReconcileResult(ReconcileStatus.UnitAbsent, null, Error: $"{unit ?? "the unit"} is not installed: {target.Path} is written when it appears");
        }
        catch (TargetException e)
        {
            logger.LogError("cannot update {Target}: {Error}; the file is left as it was", target.Description, e.Message);
            return new ReconcileResult(ReconcileStatus.Failed, null, Error: e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever else goes wrong, the agent keeps running and retries; the file is as the writer left it.
            logger.LogError("reconcile failed: {Error}", e.ToString());
            return new ReconcileResult(ReconcileStatus.Failed, null, Error: e.Message);
        }
    }

    /// <summary>The desire stage: the pair to write (primary family, grace, a failed lookup's kept addresses), with its notes logged.</summary>
    /// <exception cref="TargetException">The target's primary-family rule cannot be read.</exception>
    private (DesiredState Desired, NodeIpPair Pair) Desire(DetectionResult detected, TargetInputs inputs)
    {
        var desired = DesiredPair.Compute(detected, configuredPrimaryFamily, () => target.DefaultPrimaryFamily(inputs), grace);
        var (pair, kept) = _lookupKeep.Apply(detected, desired.Pair);
        foreach (var (family, address) in kept)
        {
            logger.LogWarning("hostname lookup failed ({Error}): {Family} {Address}, which it gave before, is kept until it answers again", detected.Snapshot.Lookup.Error, family.Name(), address);
        }

        foreach (var note in desired.GraceNotes)
        {
            logger.LogWarning("{Note}", note);
        }

        var decision = detected.Decision;
        _lookupDecided |= kept.Count > 0
            || decision.Ipv4Decision.ChosenSource == Policy.CandidateSource.Lookup || decision.Ipv6Decision.ChosenSource == Policy.CandidateSource.Lookup;
        _warnings.Decision(decision);
        return (desired, pair);
    }

    /// <summary>
    /// Nothing to write: ask what is still owed (a start the drop-in's condition refused, a restart that failed, one an
    /// earlier run never completed) and make it up; <see cref="RestartMakeUp"/> decides from those answers.
    /// </summary>
    private async Task<ReconcileResult> MakeUpAsync(string? current, NodeIpPair pair, DateTimeOffset? recheckAt, bool dryRun, bool starting, CancellationToken cancellationToken)
    {
        if (!dryRun && unit is not null)
        {
            // Only the daemon asks about refused starts: the condition wakes it (SIGHUP); --once leaves systemd alone.
            var startRefused = FollowsRefusedStarts && target.IsUnitDropIn && await reloader.StatusAsync(unit, cancellationToken) is { StartRefusedByCondition: true };
            var owed = _restartOwed;
            var recorded = !_checkedRunningUnit && !startRefused && owed is null ? _state.Load() : null;
            if (RestartMakeUp.For(unit, target, pair, current, startRefused, owed, recorded) is { } makeUp)
            {
                // The state file's record is checked once per process, when nothing before it was owed.
                _checkedRunningUnit |= !startRefused && owed is null;
                return await RestartAsync(makeUp with { WaitForJob = !starting }, pair, recheckAt, cancellationToken);
            }

            _checkedRunningUnit |= _state.Enabled;
        }

        logger.LogInformation("node IP {Pair} unchanged in {Path}; nothing to restart", pair, target.Path);
        return new ReconcileResult(ReconcileStatus.Unchanged, pair, RecheckAt: recheckAt);
    }

    /// <summary>The apply stage: record, write atomically, then what the plan owes the unit.</summary>
    private async Task<ReconcileResult> ApplyAsync(ReconcilePlan plan, TargetInputs inputs, string? current, NodeIpPair pair, DateTimeOffset? recheckAt, bool starting, CancellationToken cancellationToken)
    {
        // Recorded before the write, so a crash right after it leaves the restart owed (AppliedState).
        var contentHash = AppliedState.Hash(plan.Content);
        AtomicFileWriter.EnsureUnchanged(target.Path, inputs.CurrentStamp);
        _state.RecordWrite(contentHash, pair.Value, current, plan.NeedsNoRestart);
        AtomicFileWriter.Write(target.Path, plan.Content, current, createDirectory: target.IsUnitDropIn, readFrom: inputs.CurrentStamp);
        _observedInputs = inputs with { Current = plan.Content };
        _lastWrittenNodeIp = target.NodeIpOf(plan.Content);
        _checkedRunningUnit = true;
        _warnings.ExecStartOverride(target.ExecStartOverriddenBy(inputs), target.Path, unit);
        switch (plan.Unit)
        {
            case UnitAction.None when plan.NeedsNoRestart:
                logger.LogInformation("rewrote {Path}: {What}; no restart", target.Path, plan.Why);
                return new ReconcileResult(ReconcileStatus.Unchanged, pair, RecheckAt: recheckAt);
            case UnitAction.None:
                logger.LogInformation("{Change}; no unit to restart", plan.Change);
                return new ReconcileResult(ReconcileStatus.Changed, pair, RecheckAt: recheckAt);
            case UnitAction.DaemonReload:
                return await RestartAsync(new ReloadRequest(unit!, true, $"rewrote {target.Path}: {plan.Why}", WaitForJob: !starting, ContentHash: contentHash, Action: ReloadAction.DaemonReloadOnly), pair, recheckAt, cancellationToken);
        }

        var outcome = await RestartAsync(new ReloadRequest(unit!, target.IsUnitDropIn, plan.Change, WaitForJob: !starting, ContentHash: contentHash), pair, recheckAt, cancellationToken);
        return outcome.Status == ReconcileStatus.Unchanged ? outcome with { Status = ReconcileStatus.Changed } : outcome;
    }
    /// <summary>
    /// At start, before the first write: a family the target expects (the last boot's pair, k0s's dualStack) that is
    /// not there yet is waited for while the wait lasts (a result to return); once it is over, the family goes into
    /// its grace when the unit already runs with it (the agent was restarted), or is written without, with a warning,
    /// when the unit has yet to start (a boot: k0s waits for us). Null: go on with the reconcile.
    /// </summary>
    private async Task<ReconcileResult?> WaitForExpectedFamiliesAsync(Policy.Decision decision, TargetState targetState, StartupWait wait, bool dryRun, CancellationToken cancellationToken)
    {
        var missing = target.ExpectedFamilies(targetState.Inputs).Where(f => decision.For(f).Chosen is null).Order().ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var names = string.Join(" and ", missing.Select(f => f.Name()));
        var held = targetState.Held;
        var why = held is not null && missing.All(f => held.AddressOf(f) is not null)
            ? $"{target.Path} holds {string.Join(", ", missing.Select(f => held.AddressOf(f)))}"
            : "the target's config asks for dual-stack";
        if (!wait.Over)
        {
            if (!_waitLogged)
            {
                _waitLogged = true;
                logger.LogInformation("no {Families} address yet ({Why}); waiting up to {Wait} (Watch:StartupWait) before the first write", names, why, wait.Length);
            }

            return new ReconcileResult(ReconcileStatus.WaitingForFamily, null, Error: $"waiting up to {wait.Length} for {names} ({why}; Watch:StartupWait)");
        }

        if (held is not null && grace is not null && unit is not null && !dryRun && await reloader.IsActiveNowAsync(unit, cancellationToken) == true)
        {
            // The kubelet runs with the held pair: the vanished family gets its grace, from the file's content.
            grace.Seed(held);
            return null;
        }

        _warnings.StartupIncomplete($"no {names} address within {wait.Length} of start (Watch:StartupWait; {why}): written without {names}");
        return null;
    }

    /// <summary>--once and the daemon, one at a time (StateFileLock); without a state file, or a lock that cannot be had, unlocked.</summary>
    private async Task<StateFileLock?> LockStateAsync(CancellationToken cancellationToken)
    {
        if (statePath is null)
        {
            return null;
        }

        try
        {
            return await StateFileLock.AcquireAsync(statePath, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("cannot lock {Path}; going on without: {Error}", StateFileLock.PathFor(statePath), e.Message);
            return null;
        }
    }

    /// <summary>Whether the hostname lookup's answers differ from the last detection's (the daemon's lookup interval).</summary>
    public Task<bool> LookupChangedAsync(CancellationToken cancellationToken) => detector.LookupChangedAsync(cancellationToken);

    /// <summary>Called by the reloader when a deferred restart failed: the next reconcile asks again.</summary>
    public void OnReloadCompleted(ReloadRequest request, ReloadOutcome outcome)
    {
        Observer?.ReloadCompleted(outcome);
        if (outcome == ReloadOutcome.Failed)
        {
            _restartOwed = request;
        }
        else if (outcome is ReloadOutcome.Restarted or ReloadOutcome.NotRunning or ReloadOutcome.StartedAfterRefusal)
        {
            // A stopped unit owes nothing: it reads the file when the operator starts it.
            _restartOwed = null;
            _state.RecordRestartCompleted(request.ContentHash);
        }

        if (outcome is ReloadOutcome.Restarted or ReloadOutcome.StartedAfterRefusal)
        {
            // In the background: a restart queued at start runs only after READY=1, and the loop must not wait for it.
            _ = Task.Run(() => WatchStartAsync(request));
        }
    }

    /// <summary>
    /// After a restart this agent made: the unit is watched until it is up or failed (bounded), and a failure is a warning
    /// (journal, STATUS=, metrics) with the pair that was written. Nothing is restarted again: the unit's Restart= decides.
    /// </summary>
    private async Task WatchStartAsync(ReloadRequest request)
    {
        var watch = Interlocked.Increment(ref _startWatches);
        try
        {
            var failed = await reloader.WatchStartAsync(request.Unit, CancellationToken.None);
            if (watch != Interlocked.Read(ref _startWatches))
            {
                // A later restart came within this one's settle time: what the unit does now is that restart's, and its
                // own watch reports it (once: a failure is never counted by two watches).
                return;
            }

            if (failed is null)
            {
                if (_warnings.UnitRunsAgain(request.Unit))
                {
                    WarningsChanged?.Invoke(_warnings.Current);
                    Observer?.UnitHealthChanged(_warnings.Health);
                }

                return;
            }

            var nodeIp = _lastWrittenNodeIp ?? "(none)";
            _warnings.UnitFailed($"{request.Unit} failed after k0s-node-ip restarted it with --node-ip={nodeIp} ({target.Path}): "
                + $"{failed.ActiveState.ToString().ToLowerInvariant()} ({failed.SubState}, result {failed.Result}); its own Restart= decides what follows, k0s-node-ip restarts it no more");
            Observer?.UnitFailedAfterRestart();
            WarningsChanged?.Invoke(_warnings.Current);
            Observer?.UnitHealthChanged(_warnings.Health);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug("watching {Unit} after its restart failed: {Error}", request.Unit, e.Message);
        }
    }

    private async Task<ReconcileResult> RestartAsync(ReloadRequest request, NodeIpPair pair, DateTimeOffset? recheckAt, CancellationToken cancellationToken)
    {
        var outcome = await reloader.RequestAsync(request, cancellationToken);
        if (outcome == ReloadOutcome.Failed)
        {
            _restartOwed = request;
            return new ReconcileResult(ReconcileStatus.RestartFailed, pair, Error: $"restart of {request.Unit} failed", RecheckAt: recheckAt);
        }

        // A daemon-reload alone settles nothing: a restart owed before it stays owed (and its record says so).
        if (outcome is ReloadOutcome.Restarted or ReloadOutcome.Disabled or ReloadOutcome.NotRunning or ReloadOutcome.StartedAfterRefusal)
        {
            _restartOwed = null;
        }

        if (outcome is ReloadOutcome.Restarted or ReloadOutcome.NotRunning or ReloadOutcome.StartedAfterRefusal)
        {
            // The InvocationID after a restart we waited for says which run of the unit has the file.
            var invocation = outcome == ReloadOutcome.Restarted && request.WaitForJob && statePath is not null
                ? await reloader.InvocationIdAsync(request.Unit, cancellationToken)
                : null;
            _state.RecordRestartCompleted(request.ContentHash, invocation);
        }

        return new ReconcileResult(ReconcileStatus.Unchanged, pair, RecheckAt: recheckAt);
    }
}

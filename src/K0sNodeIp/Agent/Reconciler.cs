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

    // Set when the file was written but the unit's restart failed: the next reconcile asks again even when
    // the file is unchanged, so the kubelet never keeps running with an old --node-ip unnoticed.
    private volatile ReloadRequest? _restartOwed;
    private bool _checkedRunningUnit;
    private IReadOnlyList<string> _overrideFailures = [];
    private string? _startupWarning;
    private IReadOnlyList<string> _pickWarnings = [];
    private IReadOnlyList<string> _keptNotes = [];
    private bool _lookupDecided;
    private IReadOnlyList<IpFamily> _familiesFromLookup = [];
    private bool _waitLogged;
    private string? _lookupFault;
    private readonly Lock _stateLock = new();
    private string? _unitAbsent;
    private IReadOnlyList<string> _foreignLines = [];
    private string? _overrideWarning;
    private volatile string? _failedStartWarning;
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

    private UnitHealth Health => new(_failedStartWarning is not null, _overrideWarning is not null);

    /// <summary>The warnings that stand now, as <see cref="ReconcileResult.Warnings"/> carries them.</summary>
    public IReadOnlyList<string> CurrentWarnings =>
        [.. _overrideFailures, .. _pickWarnings, .. Optional(_startupWarning), .. Optional(_overrideWarning), .. Optional(_failedStartWarning)];

    private static string[] Optional(string? warning) => warning is null ? [] : [warning];

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
            Warnings = CurrentWarnings,
            LookupDecided = _lookupDecided,
        };
        if (!dryRun)
        {
            Observer?.Reconciled(result, new ReconcileObservation(_detectionDuration, _detectionFailed, Health, _observedInputs));
        }

        return result;
    }

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

        var decision = detected.Decision;
        WarnAboutLookup(detected.Snapshot);

        try
        {
            // Read with the node (the read stage): render, compare and every rule below use this one read of the files.
            var inputs = detected.Snapshot.Target.Inputs;
            if (inputs.Path != target.Path)
            {
                throw new InvalidOperationException($"the detector read the target {inputs.Path}, not {target.Path}");
            }

            _observedInputs = inputs;
            var current = INodeIpTarget.CurrentOf(inputs);
            ClearStartupWarningWhenComplete(decision);
            if (starting && startupWait is not null && await WaitForExpectedFamiliesAsync(decision, detected.Snapshot.Target, startupWait, dryRun, cancellationToken) is { } waiting)
            {
                return waiting;
            }

            var desired = DesiredPair.Compute(detected, configuredPrimaryFamily, () => target.DefaultPrimaryFamily(inputs), grace);
            var pair = KeepThroughFailedLookup(detected, desired.Pair);
            var recheckAt = desired.RecheckAt;
            foreach (var note in desired.GraceNotes)
            {
                logger.LogWarning("{Note}", note);
            }

            _lookupDecided |= decision.Ipv4Decision.ChosenSource == Policy.CandidateSource.Lookup || decision.Ipv6Decision.ChosenSource == Policy.CandidateSource.Lookup;
            LogKeptAddresses(decision);
            WarnAboutOverrides(decision.OverrideWarnings);
            WarnAboutPick(decision.Warnings.Select(w => w.Replace(Policy.PickWarnings.Prefix, string.Empty, StringComparison.Ordinal)).ToList());
            if (desired.HoldFile)
            {
                logger.LogInformation("detection #{Number} ({Trigger}): {Pair}; {Path} is held as it is until {RecheckAt:u}", number, trigger, pair, target.Path, recheckAt);
                return new ReconcileResult(ReconcileStatus.Unchanged, pair, RecheckAt: recheckAt) { Held = true };
            }

            if (pair.IsEmpty)
            {
                _detectionFailed = true;
                var why = string.Join("; ", decision.Notes.Concat(decision.Ipv4Decision.Notes).Concat(decision.Ipv6Decision.Notes));
                logger.LogWarning("detection #{Number} ({Trigger}) found no address ({Why}); keeping {Path} as it is", number, trigger, why, target.Path);
                return new ReconcileResult(ReconcileStatus.NothingDetected, null, Error: why);
            }

            logger.LogInformation("detection #{Number} ({Trigger}): {Pair}", number, trigger, pair);
            var plan = ReconcilePlan.For(target, pair, inputs, unit);
            var content = plan.Content;
            if (_unitAbsent is not null)
            {
                logger.LogInformation("{Unit} is installed again", unit ?? target.Description);
                _unitAbsent = null;
            }

            WarnAboutForeignLines(target.ForeignLines(current));
            if (plan.Kind == WriteKind.None)
            {
                WarnAboutOverride(inputs);
                // Only the daemon: the condition wakes it (SIGHUP), and --once must not ask systemd when nothing changed.
                if (!dryRun && FollowsRefusedStarts && unit is not null && target.IsUnitDropIn && await reloader.StatusAsync(unit, cancellationToken) is { StartRefusedByCondition: true })
                {
                    // The drop-in was re-derived already, but a start came in between (refused by its ExecCondition=).
                    var refused = $"{target.Path} holds {unit}'s current command line";
                    return await RestartAsync(new ReloadRequest(unit, true, refused, WaitForJob: !starting, Action: Reload.ReloadAction.DaemonReloadOnly), pair, recheckAt, cancellationToken);
                }

                if (_restartOwed is { } owed && !dryRun)
                {
                    return await RestartAsync(owed with { WaitForJob = !starting }, pair, recheckAt, cancellationToken);
                }

                // Once per process: a previous run may have died between writing the file and restarting the unit.
                if (!_checkedRunningUnit && unit is not null && !dryRun && statePath is not null)
                {
                    _checkedRunningUnit = true;
                    if (AppliedState.Load(statePath) is { } state && state.OwesRestart(target.Path, current))
                    {
                        var stale = $"{target.Path} was written by an earlier run whose restart of {unit} never completed (node IP {pair})";
                        return await RestartAsync(new ReloadRequest(unit, target.IsUnitDropIn, stale, WaitForJob: !starting, ContentHash: state.ContentSha256), pair, recheckAt, cancellationToken);
                    }
                }

                logger.LogInformation("node IP {Pair} unchanged in {Path}; nothing to restart", pair, target.Path);
                return new ReconcileResult(ReconcileStatus.Unchanged, pair, RecheckAt: recheckAt);
            }

            var change = plan.Change;
            if (dryRun)
            {
                logger.LogInformation("dry run: would change {Change}", change);
                return new ReconcileResult(ReconcileStatus.Changed, pair, LineDiff.Render(target.Path, current, content), RecheckAt: recheckAt);
            }

            // Recorded before the write, so a crash right after it leaves the restart owed (AppliedState).
            var contentHash = AppliedState.Hash(content);
            RecordWrite(contentHash, pair, current, plan.NeedsNoRestart);
            AtomicFileWriter.Write(target.Path, content, current, createDirectory: target.IsUnitDropIn);
            _observedInputs = inputs with { Current = content };
            _lastWrittenNodeIp = target.NodeIpOf(content);
            _checkedRunningUnit = true;
            WarnAboutOverride(inputs);
            switch (plan.Unit)
            {
                case UnitAction.None when plan.NeedsNoRestart:
                    logger.LogInformation("rewrote {Path}: {What}; no restart", target.Path, plan.Why);
                    return new ReconcileResult(ReconcileStatus.Unchanged, pair, RecheckAt: recheckAt);
                case UnitAction.None:
                    logger.LogInformation("{Change}; no unit to restart", change);
                    return new ReconcileResult(ReconcileStatus.Changed, pair, RecheckAt: recheckAt);
                case UnitAction.DaemonReload:
                    return await RestartAsync(new ReloadRequest(unit!, true, $"rewrote {target.Path}: {plan.Why}", WaitForJob: !starting, ContentHash: contentHash, Action: Reload.ReloadAction.DaemonReloadOnly), pair, recheckAt, cancellationToken);
            }

            var outcome = await RestartAsync(new ReloadRequest(unit!, target.IsUnitDropIn, change, WaitForJob: !starting, ContentHash: contentHash), pair, recheckAt, cancellationToken);
            return outcome.Status == ReconcileStatus.Unchanged ? outcome with { Status = ReconcileStatus.Changed } : outcome;
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

        _startupWarning = $"no {names} address within {wait.Length} of start (Watch:StartupWait; {why}): written without {names}";
        logger.LogWarning("{Warning}", _startupWarning);
        return null;
    }

    /// <summary>A start-up warning stands until the missing family has come.</summary>
    private void ClearStartupWarningWhenComplete(Policy.Decision decision)
    {
        if (_startupWarning is not null && decision.Ipv4 is not null && decision.Ipv6 is not null)
        {
            _startupWarning = null;
        }
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

    /// <summary>Records what is about to be written, before writing it: a crash right after leaves the restart owed.</summary>
    private void RecordWrite(string contentHash, NodeIpPair pair, string? current, bool cosmetic)
    {
        if (statePath is null)
        {
            return;
        }

        lock (_stateLock)
        {
            AppliedState next;
            var previous = AppliedState.Load(statePath);
            if (cosmetic && previous is not null && current is not null && previous.Target == target.Path && previous.ContentSha256 == AppliedState.Hash(current))
            {
                // Same arguments under new wording: whatever restart the old content owed, the new one owes too.
                next = previous with { ContentSha256 = contentHash };
            }
            else if (cosmetic && previous is { RestartCompleted: true } && previous.Target == target.Path && previous.Pair == pair.Value)
            {
                // An operator's edit of the file since our completed restart (or an upgrade's new base): the unit runs
                // what we last restarted it with, and this write changes none of it. Nothing is owed.
                next = previous with { ContentSha256 = contentHash };
            }
            else
            {
                // A cosmetic rewrite with no matching record owes what an ordinary write owes: better one restart too many.
                next = new AppliedState(target.Path, contentHash, pair.Value, unit, null, RestartCompleted: unit is null);
            }

            SaveState(next);
        }
    }

    /// <summary>
    /// The restart for one written content completed, or none is needed (the unit is stopped). Only the record of that
    /// same content is marked: a restart that began before a newer write did not apply it.
    /// </summary>
    private void RecordRestartCompleted(string? contentHash, string? invocation = null)
    {
        if (statePath is null || contentHash is null)
        {
            return;
        }

        lock (_stateLock)
        {
            if (AppliedState.Load(statePath) is { RestartCompleted: false } state && state.Target == target.Path && state.ContentSha256 == contentHash)
            {
                SaveState(state with { RestartCompleted = true, RestartedInvocation = invocation });
            }
        }
    }

    private void SaveState(AppliedState state)
    {
        try
        {
            state.Save(statePath!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TargetException)
        {
            // Losing the record only loses the make-up of a restart after a crash; the write itself goes on.
            logger.LogWarning("cannot record the applied state in {Path}: {Error}", statePath, e.Message);
        }
    }

    /// <summary>
    /// A failed hostname lookup: a warning when the fault changes, not at every detection (a flapping link re-detects
    /// thousands of times a day with the same dead server), and a line when the lookup answers again.
    /// </summary>
    private void WarnAboutLookup(NodeSnapshot snapshot)
    {
        var lookup = snapshot.Lookup;
        var fault = lookup.Faulted ? $"hostname lookup ({lookup.Method}) of {snapshot.Hostname} failed: {lookup.Error}" : null;
        if (fault == _lookupFault)
        {
            return;
        }

        if (fault is not null)
        {
            logger.LogWarning("{Fault}; the other sources decide", fault);
        }
        else
        {
            logger.LogInformation("hostname lookup ({Method}) of {Hostname} works again", lookup.Method, snapshot.Hostname);
        }

        _lookupFault = fault;
    }

    /// <summary>Overrides that found nothing: a warning when the set changes, not at every detection.</summary>
    private void WarnAboutOverrides(IReadOnlyList<string> failures)
    {
        if (failures.SequenceEqual(_overrideFailures))
        {
            return;
        }

        _overrideFailures = failures;
        foreach (var failure in failures)
        {
            logger.LogWarning("override found nothing: {Failure}", failure);
        }
    }

    /// <summary>
    /// A lookup that failed (a timeout, a refusal: not NXDOMAIN) says nothing new: a family the lookup decided at the
    /// last reconcile keeps the address the target holds while that is still assigned and stable, instead of moving to
    /// the next source for the length of a DNS outage, and the lookup interval goes on re-resolving until it answers.
    /// </summary>
    private NodeIpPair KeepThroughFailedLookup(DetectionResult detected, NodeIpPair pair)
    {
        var lookup = detected.Snapshot.Lookup;
        if (!lookup.Faulted)
        {
            _familiesFromLookup = [.. new[] { detected.Decision.Ipv4Decision, detected.Decision.Ipv6Decision }
                .Where(f => f.ChosenSource == Policy.CandidateSource.Lookup).Select(f => f.Family)];
            return pair;
        }

        // The pair the target held when the node was read (the keep rule's input), not a second read of the file.
        var held = detected.Snapshot.Target.Held;
        foreach (var family in _familiesFromLookup)
        {
            if (held?.AddressOf(family) is not { } address || address.Equals(pair.AddressOf(family))
                || detected.Snapshot.FindAssigned(address) is not { } assigned || assigned.Address.Flags.InstabilityReason() is not null)
            {
                continue;
            }

            pair = family == IpFamily.IPv4 ? pair with { Ipv4 = address } : pair with { Ipv6 = address };
            _lookupDecided = true;
            logger.LogWarning("hostname lookup failed ({Error}): {Family} {Address}, which it gave before, is kept until it answers again", lookup.Error, family.Name(), address);
        }

        return pair;
    }

    /// <summary>Whether the hostname lookup's answers differ from the last detection's (the daemon's lookup interval).</summary>
    public Task<bool> LookupChangedAsync(CancellationToken cancellationToken) => detector.LookupChangedAsync(cancellationToken);

    /// <summary>An address kept in place of kubelet's fresh-start pick, and why: said once per change, not per detection.</summary>
    private void LogKeptAddresses(Policy.Decision decision)
    {
        var kept = new[] { decision.Ipv4Decision, decision.Ipv6Decision }
            .Where(f => f.Kept && f.Divergence is not null)
            .Select(f => $"{f.Family.Name()} {f.Chosen} kept (Detection:KeepCurrent): {f.Candidates.First(c => c.Accepted).Reason.Replace("kept: ", string.Empty, StringComparison.Ordinal)}; kubelet alone would now take {f.KubeletPick}")
            .ToList();
        if (kept.SequenceEqual(_keptNotes))
        {
            return;
        }

        _keptNotes = kept;
        foreach (var note in kept)
        {
            logger.LogInformation("{Kept}", note);
        }
    }

    /// <summary>Risky picks (no carrier, a down interface, a VPN address): a warning when the set changes, not at every detection.</summary>
    private void WarnAboutPick(IReadOnlyList<string> warnings)
    {
        if (warnings.SequenceEqual(_pickWarnings))
        {
            return;
        }

        _pickWarnings = warnings;
        foreach (var warning in warnings)
        {
            logger.LogWarning("{Warning}", warning);
        }
    }

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
            RecordRestartCompleted(request.ContentHash);
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
                if (_failedStartWarning is not null)
                {
                    _failedStartWarning = null;
                    logger.LogInformation("{Unit} runs again after its restart", request.Unit);
                    WarningsChanged?.Invoke(CurrentWarnings);
                    Observer?.UnitHealthChanged(Health);
                }

                return;
            }

            var nodeIp = _lastWrittenNodeIp ?? "(none)";
            _failedStartWarning = $"{request.Unit} failed after k0s-node-ip restarted it with --node-ip={nodeIp} ({target.Path}): "
                + $"{failed.ActiveState.ToString().ToLowerInvariant()} ({failed.SubState}, result {failed.Result}); its own Restart= decides what follows, k0s-node-ip restarts it no more";
            logger.LogWarning("{Warning}", _failedStartWarning);
            Observer?.UnitFailedAfterRestart();
            WarningsChanged?.Invoke(CurrentWarnings);
            Observer?.UnitHealthChanged(Health);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug("watching {Unit} after its restart failed: {Error}", request.Unit, e.Message);
        }
    }

    /// <summary>Lines an operator added to the agent's own file: kept, and a warning naming the file they belong in, once per change.</summary>
    private void WarnAboutForeignLines(IReadOnlyList<string> lines)
    {
        if (lines.SequenceEqual(_foreignLines))
        {
            return;
        }

        _foreignLines = lines;
        if (lines.Count > 0)
        {
            logger.LogWarning("{Path} has {Count} line(s) k0s-node-ip does not write ({Lines}): kept; move them into a drop-in of your own, e.g. {Local}",
                target.Path, lines.Count, string.Join(" | ", lines), target.LocalDropInPath ?? "another file");
        }
    }

    /// <summary>A later drop-in that replaces the agent's ExecStart=: a warning when it appears or changes, cleared when it goes.</summary>
    private void WarnAboutOverride(TargetInputs inputs)
    {
        string? warning = null;
        if (target.ExecStartOverriddenBy(inputs) is { } winner)
        {
            warning = $"{winner} sets ExecStart= after {target.Path}: {unit} starts with that command line, without the --node-ip k0s-node-ip writes; "
                + $"remove ExecStart= from it (keep other settings there), or put its flags in {unit}'s own unit file";
        }

        if (warning == _overrideWarning)
        {
            return;
        }

        _overrideWarning = warning;
        if (warning is not null)
        {
            logger.LogWarning("{Warning}", warning);
        }
        else
        {
            logger.LogInformation("no drop-in overrides {Path}'s ExecStart= any more", target.Path);
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
            RecordRestartCompleted(request.ContentHash, invocation);
        }

        return new ReconcileResult(ReconcileStatus.Unchanged, pair, RecheckAt: recheckAt);
    }
}

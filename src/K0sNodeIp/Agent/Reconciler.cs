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
    string? configuredUnit,
    FamilyGrace? grace,
    ILogger logger,
    string? statePath = null,
    string? bootId = null)
{
    private long _detections;
    private readonly ReconcileWarnings _warnings = new(logger);
    private readonly AppliedStateBook _state = new(statePath, () => target.Path, () => target.Unit ?? configuredUnit, logger);
    private readonly FailedLookupKeep _lookupKeep = new();
    private readonly string _bootId = bootId ?? Sources.BootId.Read();
    private FamilyMissBook? _missBook;

    private DropInFolderCare? _folders;
    private UnitStartWatch? _startWatch;

    private UnitStartWatch StartWatch => _startWatch ??= new(reloader, _warnings, target, () => _lastWrittenNodeIp, OnUnitHealthChanged, logger);

    // Built at first use: OwnUnit is set after construction.
    private DropInFolderCare Folders => _folders ??= new(target, reloader, statePath, _bootId, OwnUnit is not null, logger);

    private StartupFamilyWait? _startupFamilies;

    private StartupFamilyWait StartupFamilies => _startupFamilies ??= new(target, grace, () => Misses, reloader, _warnings, logger);

    private FamilyMissBook Misses => _missBook ??= new(grace is null ? null : statePath, _bootId, grace?.TimestampFrequency ?? 1, logger);

    // Set when the file was written but the unit's restart failed: the next reconcile asks again even when
    // the file is unchanged, so the kubelet never keeps running with an old --node-ip unnoticed.
    private volatile ReloadRequest? _restartOwed;
    private bool _checkedRunningUnit;
    private bool _lookupDecided;
    private string? _unitAbsent;

    /// <summary>Raised when a warning appears or clears outside a reconcile (a unit that failed after our restart), for STATUS=.</summary>
    public event Action<IReadOnlyList<StandingWarning>>? WarningsChanged;

    /// <summary>
    /// The daemon's: with nothing to write, still ask systemd whether a start was refused by the drop-in's
    /// ExecCondition= (the condition wakes the daemon with SIGHUP). --once leaves systemd alone when nothing changed.
    /// </summary>
    public bool FollowsRefusedStarts { get; init; } = true;

    /// <summary>
    /// The daemon's: the marks by which the shipped first-start guard holds a k0s unit's start while the agent has yet to
    /// write its drop-in (k0s not installed yet); null: none (--once, other targets).
    /// </summary>
    public StartHolds? Holds { get; init; }

    /// <summary>
    /// The daemon's, under systemd: the agent's own unit, restarted when a k0s unit installed after the agent start needs
    /// a drop-in folder the sandbox cannot make (the unit's ExecStartPre= makes it); null: never restarted.
    /// </summary>
    public string? OwnUnit { get; init; }

    private FirstStartHold? _firstStarts;
    private bool _restartingForFolder;

    /// <summary>
    /// The daemon's: a restart that can wait is spread over Reload:RandomDelay. Not --once, which exits after its
    /// restart (a spread restart would be left to the next run).
    /// </summary>
    public bool SpreadsRestarts { get; init; }

    /// <summary>
    /// Whether the kubelet's current node IP can wait for its restart: every address the target holds is still
    /// assigned to the node. Nothing held (the first write) or an address gone away cannot wait.
    /// </summary>
    internal static bool HeldAddressesStillAssigned(string? current, Node.NodeSnapshot node, INodeIpTarget target) =>
        StillUsable(NodeIpPair.Parse(target.NodeIpOf(current)), node);

    /// <summary>Every address of <paramref name="pair"/> is assigned to an interface that is up, and none failed its DAD.</summary>
    private static bool StillUsable(NodeIpPair? pair, Node.NodeSnapshot node) =>
        pair is { IsEmpty: false } && pair.Addresses.All(address => node.FindAssigned(address) is { } found
            && found.Interface.IsUp && !found.Address.Flags.HasFlag(Node.Ipv6AddressFlags.DadFailed));

    /// <summary>A restart spread over Reload:RandomDelay, and the pair the kubelet runs with until it is made.</summary>
    private sealed record PendingSpread(NodeIpPair From, ReloadRequest Request);

    // Null when no spread restart is pending.
    private volatile PendingSpread? _spread;

    /// <summary>
    /// A spread restart still pending whose kubelet's address has gone away meanwhile cannot wait any longer: it is
    /// asked for again as one that cannot, which the reloader makes at once. Null: nothing to hurry.
    /// </summary>
    private async Task<ReconcileResult?> HurrySpreadRestartAsync(Node.NodeSnapshot node, NodeIpPair pair, DateTimeOffset? recheckAt, CancellationToken cancellationToken)
    {
        if (_spread is not { } spread || StillUsable(spread.From, node))
        {
            return null;
        }

        _spread = null;
        logger.LogInformation("{Unit}'s node IP {Pair} went away while its restart was spread: restarting it now", spread.Request.Unit, spread.From);
        return await RestartAsync(spread.Request with { MayWait = false }, pair, recheckAt, cancellationToken);
    }

    /// <summary>Who watches the results (the metrics file); none by default.</summary>
    public IReconcileObserver? Observer { get; set; }

    /// <summary>Detections run so far (the watcher's filtering is measured by it).</summary>
    public long Detections => Interlocked.Read(ref _detections);

    public INodeIpTarget Target => target;

    /// <summary>The unit the target's file feeds: the one the target chose (k0s), else the configured one; null when none.</summary>
    private string? Unit => target.Unit ?? configuredUnit;

    private TimeSpan? _detectionDuration;
    private IReadOnlyList<SettingKeep> _keptForSettings = [];
    private TargetInputs? _observedInputs;

    // What the agent last wrote, for the warning when the unit then fails (no second read of the file).
    private volatile string? _lastWrittenNodeIp;
    private bool _detectionFailed;
    private bool _wrote;

    /// <param name="starting">The daemon's first reconcile, before READY=1: restarts are queued, not awaited.</param>
    /// <param name="startupWait">While starting: the wait for expected families (Watch:StartupWait) is still on.</param>
    public async Task<ReconcileResult> ReconcileAsync(string trigger, bool dryRun, CancellationToken cancellationToken, bool starting = false, StartupWait? startupWait = null)
    {
        _detectionDuration = null;
        _detectionFailed = false;
        _wrote = false;
        _observedInputs = null;
        _lookupDecided = false;
        _keptForSettings = [];
        using var exclusive = dryRun ? null : await LockStateAsync(cancellationToken);
        var result = await ReconcileCoreAsync(trigger, dryRun, starting, startupWait, cancellationToken);
        if (!dryRun && Holds is { } holds)
        {
            _firstStarts ??= new(holds, target, reloader, logger);
            await _firstStarts.UpdateAsync(result, Unit, _restartingForFolder, cancellationToken);
        }
        result = result with
        {
            Warnings = _warnings.Current,
            LookupDecided = _lookupDecided,
            KeptForSettings = _keptForSettings,
        };
        if (!dryRun)
        {
            Observer?.Reconciled(result, new ReconcileObservation(_detectionDuration, _detectionFailed, _warnings.Health, _observedInputs, _wrote));
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
            if (!dryRun)
            {
                await Folders.RemoveStaleOwnFilesAsync(cancellationToken);
            }

            // A target that cannot be read or replaced (a symlink, a folder) fails here, before any wait or grace.
            var current = INodeIpTarget.CurrentOf(inputs);
            _warnings.ClearStartupWhenComplete(detected.Decision);
            if (starting && startupWait is not null && await StartupFamilies.WaitAsync(detected, startupWait, Unit, dryRun, cancellationToken) is { } waiting)
            {
                return waiting;
            }

            var (desired, pair) = Desire(detected, inputs, dryRun);
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
            var plan = ReconcilePlan.For(target, pair, inputs, Unit);
            if (_unitAbsent is not null)
            {
                logger.LogInformation("{Unit} is installed again", Unit ?? target.Description);
                _unitAbsent = null;
            }

            _warnings.ForeignLines(target.ForeignLines(current), target.Path, target.LocalDropInPath);
            if (plan.Kind == WriteKind.None)
            {
                _warnings.ExecStartOverride(target.ExecStartOverriddenBy(inputs), target.Path, Unit);
                if (await HurrySpreadRestartAsync(detected.Snapshot, pair, desired.RecheckAt, cancellationToken) is { } hurried)
                {
                    return hurried;
                }

                return await MakeUpAsync(current, pair, desired.RecheckAt, dryRun, starting, cancellationToken);
            }

            if (dryRun)
            {
                logger.LogInformation("dry run: would change {Change}", plan.Change);
                return new ReconcileResult(ReconcileStatus.Changed, pair, LineDiff.Render(target.Path, current, plan.Content), RecheckAt: desired.RecheckAt);
            }

            // A restart may wait while the pair the kubelet runs with is still usable: if its address goes away meanwhile,
            // the restart is made at once (HurrySpreadRestartAsync). A restart already spread keeps the pair it started from.
            var held = NodeIpPair.Parse(target.NodeIpOf(current));
            var spreadFrom = SpreadsRestarts && !starting && StillUsable(held, detected.Snapshot) ? _spread?.From ?? held : null;
            if (spreadFrom is null)
            {
                _spread = null;
            }

            return await ApplyAsync(plan, inputs, current, pair, desired.RecheckAt, starting, spreadFrom, cancellationToken);
        }
        catch (UnitAbsentException e)
        {
            // k0s not installed yet, or reset, or a controller that runs no kubelet: a state, not an error. One warning
            // when it begins (or changes); the unit files' watch (created, replaced) brings the next reconcile, and
            // retries say nothing more.
            var controllerOnly = e.Role == K0sUnitRole.ControllerOnly;
            if (_unitAbsent != e.Message)
            {
                logger.LogWarning(controllerOnly ? "{Error}" : "{Error}; {Path} is written when the unit appears", e.Message, target.Path);
            }
            else
            {
                logger.LogInformation("detection #{Number} ({Trigger}): {Unit} still {State}", number, trigger, Unit ?? target.Description, controllerOnly ? "runs no kubelet" : "absent");
            }

            _unitAbsent = e.Message;
            return new ReconcileResult(ReconcileStatus.UnitAbsent, null, Error: controllerOnly
                ? $"{Unit} runs no kubelet on this node (a controller without --enable-worker or --single): nothing to write"
                : $"{Unit ?? "the unit"} is not installed: {target.Path} is written when it appears") { UnitRole = e.Role };
        }
        catch (TargetNotWritableException e)
        {
            if (e.FolderMissing && OwnUnit is { } own && !dryRun && await Folders.RestartForFolderAsync(own, e.Folder, cancellationToken))
            {
                // The held first starts stay held: the restarted agent writes the drop-in, then makes them.
                _restartingForFolder = true;
                return new ReconcileResult(ReconcileStatus.WriteRefused, null, Error: $"restarting {own} to make {e.Folder}");
            }

            logger.LogError("{Error}; the file is left as it was, and retried", e.Message);
            return new ReconcileResult(ReconcileStatus.WriteRefused, null, Error: e.Message);
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
    private (DesiredState Desired, NodeIpPair Pair) Desire(DetectionResult detected, TargetInputs inputs, bool dryRun)
    {
        var desired = DesiredPair.Compute(detected, configuredPrimaryFamily, () => target.DefaultPrimaryFamily(inputs), grace);
        if (grace is not null && !dryRun)
        {
            // Kept for a restart of the agent within this boot: it continues these graces instead of starting new ones.
            var found = new HashSet<IpFamily>(new[] { IpFamily.IPv4, IpFamily.IPv6 }.Where(f => detected.Decision.For(f).Chosen is not null));
            Misses.Record(found, [.. grace.InGrace().Select(g => new FamilyMiss(g.Family, g.Address, g.SinceTimestamp, g.Since))]);
        }

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
        // A lookup that fails (a timeout, a refusal) is re-resolved every lookup interval too, whatever decided meanwhile:
        // its return, with the same answer or a new one, is followed within one interval instead of the safety timer's.
        _lookupDecided |= kept.Count > 0 || detected.Snapshot.Lookup.Faulted
            || decision.Ipv4Decision.ChosenSource == Policy.CandidateSource.Lookup || decision.Ipv6Decision.ChosenSource == Policy.CandidateSource.Lookup;
        _warnings.Decision(decision);
        _warnings.SettingKeeps(desired.KeptForSettings, target.Path);
        _keptForSettings = desired.KeptForSettings;
        return (desired, pair);
    }

    /// <summary>
    /// Nothing to write: ask what is still owed (a start the drop-in's condition refused, a restart that failed, one an
    /// earlier run never completed) and make it up; <see cref="RestartMakeUp"/> decides from those answers.
    /// </summary>
    private async Task<ReconcileResult> MakeUpAsync(string? current, NodeIpPair pair, DateTimeOffset? recheckAt, bool dryRun, bool starting, CancellationToken cancellationToken)
    {
        if (!dryRun && Unit is not null)
        {
            // Only the daemon asks about refused starts: the condition wakes it (SIGHUP); --once leaves systemd alone.
            var startRefused = FollowsRefusedStarts && target.IsUnitDropIn && await reloader.StatusAsync(Unit, cancellationToken) is { StartRefusedByCondition: true };
            var owed = _restartOwed;
            var recorded = !_checkedRunningUnit && !startRefused && owed is null ? _state.Load() : null;
            if (RestartMakeUp.For(Unit, target, pair, current, startRefused, owed, recorded) is { } makeUp)
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
    /// <param name="spreadFrom">The pair the kubelet runs with when the restart may wait (Reload:RandomDelay); null when it cannot.</param>
    private async Task<ReconcileResult> ApplyAsync(ReconcilePlan plan, TargetInputs inputs, string? current, NodeIpPair pair, DateTimeOffset? recheckAt, bool starting, NodeIpPair? spreadFrom, CancellationToken cancellationToken)
    {
        // Recorded before the write, so a crash right after it leaves the restart owed (AppliedState).
        var contentHash = AppliedState.Hash(plan.Content);
        AtomicFileWriter.EnsureUnchanged(target.Path, inputs.CurrentStamp);
        _state.RecordWrite(contentHash, pair.Value, current, plan.NeedsNoRestart);
        // The agent's own drop-in needs no backup: a backup is for an operator's file the agent changed.
        AtomicFileWriter.Write(target.Path, plan.Content, current, createDirectory: target.IsUnitDropIn, readFrom: inputs.CurrentStamp, keepBackup: !target.IsUnitDropIn, ownBackup: target.WrittenByAgent);
        _observedInputs = inputs with { Current = plan.Content };
        _wrote = true;
        _lastWrittenNodeIp = target.NodeIpOf(plan.Content);
        if (target.IsUnitDropIn)
        {
            Folders.Written();
        }

        _checkedRunningUnit = true;
        _warnings.ExecStartOverride(target.ExecStartOverriddenBy(inputs), target.Path, Unit);
        switch (plan.Unit)
        {
            case UnitAction.None when plan.NeedsNoRestart:
                logger.LogInformation("rewrote {Path}: {What}; no restart", target.Path, plan.Why);
                return new ReconcileResult(ReconcileStatus.Unchanged, pair, RecheckAt: recheckAt);
            case UnitAction.None:
                logger.LogInformation("{Change}; no unit to restart", plan.Change);
                return new ReconcileResult(ReconcileStatus.Changed, pair, RecheckAt: recheckAt);
            case UnitAction.DaemonReload when plan.Kind == WriteKind.NodeIpOverridden:
                var reloaded = await RestartAsync(new ReloadRequest(Unit!, true, $"rewrote {target.Path}: {plan.Why}", WaitForJob: !starting, ContentHash: contentHash, Action: ReloadAction.DaemonReloadOnly), pair, recheckAt, cancellationToken);
                return reloaded.Status == ReconcileStatus.Unchanged ? reloaded with { Status = ReconcileStatus.Changed } : reloaded;
            case UnitAction.DaemonReload:
                return await RestartAsync(new ReloadRequest(Unit!, true, $"rewrote {target.Path}: {plan.Why}", WaitForJob: !starting, ContentHash: contentHash, Action: ReloadAction.DaemonReloadOnly), pair, recheckAt, cancellationToken);
        }

        if (target.RestartsControlPlane && reloader.Enabled)
        {
            logger.LogWarning("{Unit} runs this node's control plane as well as its kubelet: restarting it for the new node IP restarts both", Unit);
        }

        // This write's restart supersedes one owed for an older content: asked again, that one would take its place.
        _restartOwed = null;
        var request = new ReloadRequest(Unit!, target.IsUnitDropIn, plan.Change, WaitForJob: !starting, ContentHash: contentHash, MayWait: spreadFrom is not null);
        _spread = spreadFrom is null ? null : new PendingSpread(spreadFrom, request);
        var outcome = await RestartAsync(request, pair, recheckAt, cancellationToken);
        return outcome.Status == ReconcileStatus.Unchanged ? outcome with { Status = ReconcileStatus.Changed } : outcome;
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

    /// <summary>
    /// The one place a systemd call's outcome is recorded (the reloader calls it for each attempt, deferred or not): a
    /// failure is owed again at the next reconcile; a restart, or a unit found stopped, completes the state record.
    /// A daemon-reload alone settles nothing: a restart owed before it stays owed (and its record says so).
    /// </summary>
    public void OnReloadCompleted(ReloadRequest request, ReloadOutcome outcome)
    {
        Observer?.ReloadCompleted(outcome);
        if (request.Action == ReloadAction.Restart)
        {
            // Made (or failed, then owed): no spread restart is pending any more.
            _spread = null;
        }

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
            StartWatch.Watch(request.Unit);
        }
    }

    /// <summary>The unit's health changed after a restart of the agent's (it came up again, or <paramref name="failed"/>).</summary>
    private void OnUnitHealthChanged(bool failed)
    {
        if (failed)
        {
            Observer?.UnitFailedAfterRestart();
        }

        WarningsChanged?.Invoke(_warnings.Current);
        Observer?.UnitHealthChanged(_warnings.Health);
    }

    private async Task<ReconcileResult> RestartAsync(ReloadRequest request, NodeIpPair pair, DateTimeOffset? recheckAt, CancellationToken cancellationToken)
    {
        // What systemd did is recorded in one place, OnReloadCompleted, which the reloader calls for every attempt it
        // makes, now or deferred; here only what the call itself decides: Reload:Mode=none restarts nothing and owes nothing.
        if (!reloader.Enabled && !FollowsRefusedStarts)
        {
            // Reload:Mode=none in a one-shot run leaves systemd alone; the daemon still daemon-reloads a drop-in and makes
            // a start its condition refused (UnitReloader), so a watch-only node keeps its worker through a k0s upgrade.
            request = request with { DaemonReload = false };
        }

        var outcome = await reloader.RequestAsync(request, cancellationToken);
        if (outcome == ReloadOutcome.Failed)
        {
            return new ReconcileResult(ReconcileStatus.RestartFailed, pair, Error: $"restart of {request.Unit} failed", RecheckAt: recheckAt);
        }

        if (outcome == ReloadOutcome.Disabled)
        {
            _restartOwed = null;
        }

        return new ReconcileResult(ReconcileStatus.Unchanged, pair, RecheckAt: recheckAt);
    }
}

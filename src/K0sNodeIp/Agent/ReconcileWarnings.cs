using K0sNodeIp.Node;
using K0sNodeIp.Policy;
using Microsoft.Extensions.Logging;

namespace K0sNodeIp.Agent;

/// <summary>
/// The report stage's memory of what it said: each kind of warning is logged when it appears or changes, not at every
/// detection (a flapping link re-detects thousands of times a day), and the ones that stand make up STATUS= and the
/// result's warnings. Nothing here decides or writes anything.
/// </summary>
internal sealed class ReconcileWarnings(ILogger logger)
{
    private IReadOnlyList<StandingWarning> _overrides = [];
    private IReadOnlyList<StandingWarning> _settingKeeps = [];
    private IReadOnlyList<StandingWarning> _picks = [];
    private IReadOnlyList<string> _keptNotes = [];
    private IReadOnlyList<string> _foreignLines = [];
    private string? _lookupFault;
    private StandingWarning? _startup;
    private StandingWarning? _execStartOverride;
    private volatile StandingWarning? _failedStart;

    /// <summary>The warnings that stand now, as <see cref="ReconcileResult.Warnings"/> carries them.</summary>
    public IReadOnlyList<StandingWarning> Current =>
        [.. _overrides, .. _settingKeeps, .. _picks, .. Optional(_startup), .. Optional(_execStartOverride), .. Optional(_failedStart)];

    public UnitHealth Health => new(_failedStart is not null, _execStartOverride is not null);

    private static StandingWarning[] Optional(StandingWarning? warning) => warning is null ? [] : [warning];

    /// <summary>A failed hostname lookup: a warning when the fault changes, and a line when the lookup answers again.</summary>
    public void Lookup(NodeSnapshot snapshot)
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

    /// <summary>What the decision says beyond the pair: overrides that found nothing, risky picks, addresses kept over kubelet's pick.</summary>
    public void Decision(Decision decision)
    {
        Kept(decision);
        // Family by family, IPv4 first, as STATUS= has always listed them.
        IReadOnlyList<StandingWarning> overrides = [.. Families(decision).Select(f =>
            f.OverrideFailure is { } failure ? new StandingWarning(WarningKind.OverrideFoundNothing, f.Family, Subject: f.FailedSetting) { Text = failure }
            : f.OverrideFellBack is { } fellBack ? new StandingWarning(WarningKind.OverrideFellBack, f.Family, Subject: f.FellBackSetting) { Text = fellBack }
            : null).OfType<StandingWarning>()];
        foreach (var failure in Changed(ref _overrides, overrides))
        {
            logger.LogWarning("override found nothing: {Failure}", failure.Text);
        }

        IReadOnlyList<StandingWarning> picks = [.. decision.Warnings.Select(w =>
            new StandingWarning(WarningKind.RiskyPick, w.Family, w.Address, w.Interface, w.Risk) { Text = $"{w.Family.Name()}: {w.Text}" })];
        foreach (var pick in Changed(ref _picks, picks))
        {
            logger.LogWarning("{Warning}", pick.Text);
        }
    }

    private static FamilyDecision[] Families(Decision decision) => [decision.Ipv4Decision, decision.Ipv6Decision];

    /// <summary>
    /// Families a setting left empty that keep the target's address: a warning when they appear or change (the override
    /// failure itself is said by <see cref="Decision"/>), standing in STATUS= while they last.
    /// </summary>
    public void SettingKeeps(IReadOnlyList<Detection.SettingKeep> keeps, string path)
    {
        IReadOnlyList<StandingWarning> now = [.. keeps.Select(k =>
            new StandingWarning(WarningKind.SettingKept, k.Family, k.Address, k.Setting) { Text = $"{k.Setting} leaves {k.Family.Name()} empty: {k.Address} kept" })];
        foreach (var keep in Changed(ref _settingKeeps, now))
        {
            logger.LogWarning("{Setting} leaves {Family} with no usable address on this node; {Path} keeps {Address}, which is still the node's: the setting is wrong, not the node",
                keep.Subject, keep.Family?.Name(), path, keep.Address);
        }
    }

    /// <summary>
    /// The warnings of <paramref name="now"/> to say: all of them when they differ (by value) from what was said last, else
    /// none. Either way <paramref name="said"/> becomes <paramref name="now"/>, so STATUS= carries the current words.
    /// </summary>
    private static IReadOnlyList<StandingWarning> Changed(ref IReadOnlyList<StandingWarning> said, IReadOnlyList<StandingWarning> now)
    {
        var same = now.SequenceEqual(said);
        said = now;
        return same ? [] : now;
    }

    /// <summary>An address kept in place of kubelet's fresh-start pick, and why (information, not a warning).</summary>
    private void Kept(Decision decision)
    {
        var kept = Families(decision)
            .Where(f => f.Kept && f.Divergence is not null)
            .Select(f => $"{f.Family.Name()} {f.Chosen} kept (Detection:KeepCurrent): {f.Candidates.First(c => c.Accepted).KeptBecause}; kubelet alone would now take {f.KubeletPick}")
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

    /// <summary>Lines an operator added to the agent's own file: kept, and a warning naming the file they belong in.</summary>
    public void ForeignLines(IReadOnlyList<string> lines, string path, string? localDropIn)
    {
        if (lines.SequenceEqual(_foreignLines))
        {
            return;
        }

        _foreignLines = lines;
        if (lines.Count > 0)
        {
            logger.LogWarning("{Path} has {Count} line(s) k0s-node-ip does not write ({Lines}): kept; move them into a drop-in of your own, e.g. {Local}",
                path, lines.Count, string.Join(" | ", lines), localDropIn ?? "another file");
        }
    }

    /// <summary>A later drop-in (<paramref name="winner"/>) that replaces the agent's ExecStart=; null when none does (the warning clears).</summary>
    public void ExecStartOverride(string? winner, string path, string? unit)
    {
        var warning = winner is null ? null : new StandingWarning(WarningKind.ExecStartOverridden, Subject: winner)
        {
            Text = $"{winner} sets ExecStart= after {path}: {unit} starts with that command line, without the --node-ip k0s-node-ip writes; "
                + $"remove ExecStart= from it (keep other settings there), or put its flags in {unit}'s own unit file",
        };
        var same = Equals(warning, _execStartOverride);
        _execStartOverride = warning;
        if (same)
        {
            return;
        }

        if (warning is not null)
        {
            logger.LogWarning("{Warning}", warning.Text);
        }
        else
        {
            logger.LogInformation("no drop-in overrides {Path}'s ExecStart= any more", path);
        }
    }

    /// <summary>Families the target expects did not come within the start-up wait; it stands until the pair is complete.</summary>
    public void StartupIncomplete(IpFamily? family, string warning)
    {
        _startup = new StandingWarning(WarningKind.StartupIncomplete, family) { Text = warning };
        logger.LogWarning("{Warning}", warning);
    }

    /// <summary>A start-up warning stands until the missing family has come.</summary>
    public void ClearStartupWhenComplete(Decision decision)
    {
        if (_startup is not null && decision.Ipv4 is not null && decision.Ipv6 is not null)
        {
            _startup = null;
        }
    }

    /// <summary>The unit failed after the agent's restart: a warning every time (each failure is counted), standing until it runs again.</summary>
    public void UnitFailed(string unit, string warning)
    {
        _failedStart = new StandingWarning(WarningKind.UnitFailedAfterRestart, Subject: unit) { Text = warning };
        logger.LogWarning("{Warning}", warning);
    }

    /// <summary>The unit runs after the agent's restart; true when that clears a failure's warning.</summary>
    public bool UnitRunsAgain(string unit)
    {
        if (_failedStart is null)
        {
            return false;
        }

        _failedStart = null;
        logger.LogInformation("{Unit} runs again after its restart", unit);
        return true;
    }
}

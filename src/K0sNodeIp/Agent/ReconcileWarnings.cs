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
    private IReadOnlyList<string> _overrideFailures = [];
    private IReadOnlyList<string> _pickWarnings = [];
    private IReadOnlyList<string> _keptNotes = [];
    private IReadOnlyList<string> _foreignLines = [];
    private IReadOnlyList<Detection.SettingKeep> _settingKeeps = [];
    private string? _lookupFault;
    private string? _startupWarning;
    private string? _overrideWarning;
    private volatile string? _failedStartWarning;

    /// <summary>The warnings that stand now, as <see cref="ReconcileResult.Warnings"/> carries them.</summary>
    public IReadOnlyList<string> Current =>
        [.. _overrideFailures, .. _settingKeeps.Select(k => $"{k.Setting} leaves {k.Family.Name()} empty: {k.Address} kept"), .. _pickWarnings, .. Optional(_startupWarning), .. Optional(_overrideWarning), .. Optional(_failedStartWarning)];

    public UnitHealth Health => new(_failedStartWarning is not null, _overrideWarning is not null);

    private static string[] Optional(string? warning) => warning is null ? [] : [warning];

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
        Overrides(decision.OverrideWarnings);
        Pick([.. decision.Warnings.Select(w => $"{w.Family.Name()}: {w.Text}")]);
    }

    private void Overrides(IReadOnlyList<string> failures)
    {
        foreach (var failure in Changed(ref _overrideFailures, failures))
        {
            logger.LogWarning("override found nothing: {Failure}", failure);
        }
    }

    /// <summary>
    /// Families a setting left empty that keep the target's address: a warning when they appear or change (the override
    /// failure itself is said by <see cref="Decision"/>), standing in STATUS= while they last.
    /// </summary>
    public void SettingKeeps(IReadOnlyList<Detection.SettingKeep> keeps, string path)
    {
        if (keeps.SequenceEqual(_settingKeeps))
        {
            return;
        }

        _settingKeeps = keeps;
        foreach (var keep in keeps)
        {
            logger.LogWarning("{Setting} leaves {Family} with no usable address on this node; {Path} keeps {Address}, which is still the node's: the setting is wrong, not the node", keep.Setting, keep.Family.Name(), path, keep.Address);
        }
    }

    /// <summary>Risky picks (no carrier, a down interface, a VPN address).</summary>
    private void Pick(IReadOnlyList<string> warnings)
    {
        foreach (var warning in Changed(ref _pickWarnings, warnings))
        {
            logger.LogWarning("{Warning}", warning);
        }
    }

    /// <summary>The lines to say: all of <paramref name="now"/> when it differs from what was said last, else none.</summary>
    private static IReadOnlyList<string> Changed(ref IReadOnlyList<string> said, IReadOnlyList<string> now)
    {
        if (now.SequenceEqual(said))
        {
            return [];
        }

        said = now;
        return now;
    }

    /// <summary>An address kept in place of kubelet's fresh-start pick, and why (information, not a warning).</summary>
    private void Kept(Decision decision)
    {
        var kept = new[] { decision.Ipv4Decision, decision.Ipv6Decision }
            .Where(f => f.Kept && f.Divergence is not null)
            .Select(f => $"{f.Family.Name()} {f.Chosen} kept (Detection:KeepCurrent): {f.Candidates.First(c => c.Accepted).KeptBecause}; kubelet alone would now take {f.KubeletPick}")
            .ToList();
        foreach (var note in Changed(ref _keptNotes, kept))
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
        var warning = winner is null ? null
            : $"{winner} sets ExecStart= after {path}: {unit} starts with that command line, without the --node-ip k0s-node-ip writes; "
                + $"remove ExecStart= from it (keep other settings there), or put its flags in {unit}'s own unit file";
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
            logger.LogInformation("no drop-in overrides {Path}'s ExecStart= any more", path);
        }
    }

    /// <summary>A family the target expects did not come within the start-up wait; it stands until the pair is complete.</summary>
    public void StartupIncomplete(string warning)
    {
        _startupWarning = warning;
        logger.LogWarning("{Warning}", warning);
    }

    /// <summary>A start-up warning stands until the missing family has come.</summary>
    public void ClearStartupWhenComplete(Decision decision)
    {
        if (_startupWarning is not null && decision.Ipv4 is not null && decision.Ipv6 is not null)
        {
            _startupWarning = null;
        }
    }

    /// <summary>The unit failed after the agent's restart: a warning every time (each failure is counted), standing until it runs again.</summary>
    public void UnitFailed(string warning)
    {
        _failedStartWarning = warning;
        logger.LogWarning("{Warning}", warning);
    }

    /// <summary>The unit runs after the agent's restart; true when that clears a failure's warning.</summary>
    public bool UnitRunsAgain(string unit)
    {
        if (_failedStartWarning is null)
        {
            return false;
        }

        _failedStartWarning = null;
        logger.LogInformation("{Unit} runs again after its restart", unit);
        return true;
    }
}

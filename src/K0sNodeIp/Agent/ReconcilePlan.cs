using K0sNodeIp.Node;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Agent;

/// <summary>What a write changes, and so what it owes the unit.</summary>
internal enum WriteKind
{
    /// <summary>The content is already there: nothing to write.</summary>
    None,

    /// <summary>Only wording or formatting changes; what k0s or the kubelet receives does not: no restart.</summary>
    Cosmetic,

    /// <summary>The unit file's command line changed (an upgrade), the node IP did not: daemon-reload, the upgrade's own restart applies it.</summary>
    BaseCommandLine,

    /// <summary>The node IP changes: the unit is restarted.</summary>
    NodeIp,

    /// <summary>The node IP changes, but a later drop-in replaces the command line that carries it: written, no restart.</summary>
    NodeIpOverridden,
}

/// <summary>What a write owes the unit.</summary>
internal enum UnitAction
{
    /// <summary>Nothing to ask of systemd: no unit, or a file systemd does not read.</summary>
    None,

    /// <summary>daemon-reload only: systemd must hold the new drop-in, but nothing the unit runs with changed.</summary>
    DaemonReload,

    /// <summary>Restart the unit (with a daemon-reload first for a drop-in): its node IP changed.</summary>
    Restart,
}

/// <summary>
/// The pure half of a reconcile: from the pair to write and the target's inputs, the new content, what kind of change
/// it is, and in words what changes. The <see cref="Reconciler"/> applies it (write, state record, reload).
/// </summary>
/// <param name="Unit">What the write owes the unit (the make-up of an earlier restart is the applier's: it needs systemd's and the state file's word).</param>
/// <param name="Why">For a write that owes no restart: in words, what changed and what was removed.</param>
/// <param name="OverriddenBy">For <see cref="WriteKind.NodeIpOverridden"/>: the later drop-in whose ExecStart= wins.</param>
internal sealed record ReconcilePlan(string Content, WriteKind Kind, string Change, UnitAction Unit = UnitAction.None, string? Why = null, string? OverriddenBy = null)
{
    /// <param name="unit">The unit to restart; null when there is none (Reload:Mode=none, a file target).</param>
    /// <exception cref="Formats.TargetException">The inputs cannot be merged safely.</exception>
    public static ReconcilePlan For(INodeIpTarget target, NodeIpPair pair, TargetInputs inputs, string? unit = null)
    {
        var current = INodeIpTarget.CurrentOf(inputs);
        return WithUnitAction(Classify(target, pair, inputs, current), target, current, unit);
    }

    private static ReconcilePlan Classify(INodeIpTarget target, NodeIpPair pair, TargetInputs inputs, string? current)
    {
        var content = target.Render(pair, inputs);
        var change = $"node IP {target.NodeIpOf(current) ?? "(none)"} -> {pair} in {target.Path}";
        if (content == current)
        {
            return new ReconcilePlan(content, WriteKind.None, change);
        }

        // A new release that only rewords the header must not restart k0s on every node: compare what k0s or the
        // kubelet receives, not bytes.
        if (current is not null && target.EffectiveArguments(current) is { } before && before == target.EffectiveArguments(content))
        {
            return new ReconcilePlan(content, WriteKind.Cosmetic, change);
        }

        // The same pair (addresses compared parsed, in order: the first is the primary family), so the kubelet's node IP
        // does not change. For a drop-in an upgrade rewrote the unit (new base command line): the drop-in follows and is
        // daemon-reloaded, and the upgrade's own restart applies it. For a file the agent merges into, only the pair's
        // spelling changed (upper-case hex, leading zeros). Either way the agent adds no restart of its own.
        if (current is not null && NodeIpPair.Parse(target.NodeIpOf(current))?.Value == pair.Value)
        {
            return new ReconcilePlan(content, target.IsUnitDropIn ? WriteKind.BaseCommandLine : WriteKind.Cosmetic, change);
        }

        // A restart for a pair the unit cannot receive (a later drop-in's ExecStart= wins) would only disturb it.
        return target.ExecStartOverriddenBy(inputs) is { } winner
            ? new ReconcilePlan(content, WriteKind.NodeIpOverridden, change, OverriddenBy: winner)
            : new ReconcilePlan(content, WriteKind.NodeIp, change);
    }

    /// <summary>The write changes nothing the unit receives, or only its base command line: no restart of the agent's own.</summary>
    public bool NeedsNoRestart => Kind is WriteKind.Cosmetic or WriteKind.BaseCommandLine or WriteKind.NodeIpOverridden;

    private static ReconcilePlan WithUnitAction(ReconcilePlan plan, INodeIpTarget target, string? current, string? unit)
    {
        if (plan.Kind == WriteKind.None)
        {
            return plan;
        }

        if (!plan.NeedsNoRestart)
        {
            return plan with { Unit = unit is null ? UnitAction.None : UnitAction.Restart };
        }

        var removed = Formats.LineDiff.Removed(current, plan.Content);
        var removedWords = removed.Count == 0 ? "nothing" : string.Join(" | ", removed);
        var why = plan.Kind switch
        {
            WriteKind.Cosmetic => $"only comments or formatting changed, the arguments {unit ?? "the kubelet"} receives did not; removed: {removedWords}",
            WriteKind.NodeIpOverridden => $"{plan.Change}, but {plan.OverriddenBy} sets ExecStart= after it: {unit} cannot receive the new node IP, so it is not restarted for it",
            _ => $"{unit}'s command line changed in its unit file (an upgrade) or by hand here; the drop-in carries the unit file's, which applies at {unit}'s next start; removed: {removedWords}",
        };

        // Every write of a drop-in is daemon-reloaded, so systemd never keeps an older version loaded.
        return plan with { Unit = unit is not null && target.IsUnitDropIn ? UnitAction.DaemonReload : UnitAction.None, Why = why };
    }
}

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
}

/// <summary>
/// The pure half of a reconcile: from the pair to write and the target's inputs, the new content, what kind of change
/// it is, and in words what changes. The <see cref="Reconciler"/> applies it (write, state record, reload).
/// </summary>
internal sealed record ReconcilePlan(string Content, WriteKind Kind, string Change)
{
    /// <exception cref="Formats.TargetException">The inputs cannot be merged safely.</exception>
    public static ReconcilePlan For(INodeIpTarget target, NodeIpPair pair, TargetInputs inputs)
    {
        var current = INodeIpTarget.CurrentOf(inputs);
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

        // An upgrade rewrote the unit (same node IP, new base command line): the drop-in follows and is daemon-reloaded,
        // and the upgrade's own restart applies it. The agent adds no restart of its own.
        return current is not null && target.IsUnitDropIn && target.NodeIpOf(current) == pair.Value
            ? new ReconcilePlan(content, WriteKind.BaseCommandLine, change)
            : new ReconcilePlan(content, WriteKind.NodeIp, change);
    }

    /// <summary>The write changes nothing the unit receives, or only its base command line: no restart of the agent's own.</summary>
    public bool NeedsNoRestart => Kind is WriteKind.Cosmetic or WriteKind.BaseCommandLine;
}

using K0sNodeIp.Node;

namespace K0sNodeIp.Agent;

/// <param name="Diff">The change as a line diff, for a dry run that found one.</param>
/// <param name="RecheckAt">A time the caller should re-check even without events (a family's grace ends).</param>
internal sealed record ReconcileResult(ReconcileStatus Status, NodeIpPair? Pair, string? Diff = null, string? Error = null, DateTimeOffset? RecheckAt = null)
{
    /// <summary>The warnings that stand (overrides that found nothing, risky picks, a failed unit...), for STATUS=.</summary>
    public IReadOnlyList<StandingWarning> Warnings { get; init; } = [];

    /// <summary>The hostname lookup decided a family: the daemon re-resolves it every Watch:LookupInterval.</summary>
    public bool LookupDecided { get; init; }

    /// <summary>For <see cref="ReconcileStatus.UnitAbsent"/>: what was found (no unit, or a k0s controller that runs no kubelet).</summary>
    public Targets.K0sUnitRole? UnitRole { get; init; }

    /// <summary>Families a setting left with no address that kept the target's (Detection.SettingKeep): --once exits non-zero.</summary>
    public IReadOnlyList<Detection.SettingKeep> KeptForSettings { get; init; } = [];

    /// <summary>A family is in its grace period: the file keeps its last pair, whatever <see cref="Pair"/> says now.</summary>
    public bool Held { get; init; }
}

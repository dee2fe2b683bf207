using K0sNodeIp.Node;
using K0sNodeIp.Reload;

namespace K0sNodeIp.Agent;

/// <summary>
/// What the agent reports as it works, to whoever watches it (the metrics file): results and the unit's health, never
/// the reconciler itself. Owned here so that the reporting side depends on the agent, not the other way round.
/// </summary>
internal interface IReconcileObserver
{
    /// <summary>After each reconcile that was not a dry run.</summary>
    void Reconciled(ReconcileResult result, ReconcileObservation observation);

    /// <summary>The unit's health changed outside a reconcile (it failed, or came up, after the agent's restart).</summary>
    void UnitHealthChanged(UnitHealth health);

    /// <summary>The unit failed after a restart this agent made.</summary>
    void UnitFailedAfterRestart();

    /// <summary>A restart (or a daemon-reload) asked of systemd ended, inside or outside a reconcile.</summary>
    void ReloadCompleted(ReloadOutcome outcome);
}

/// <summary>The unit as the agent last saw it: failing after its restart, or started without the agent's ExecStart=.</summary>
internal sealed record UnitHealth(bool FailingAfterRestart, bool ExecStartOverridden);

/// <param name="DetectionDuration">How long detection took; null when it did not end.</param>
/// <param name="DetectionFailed">Detection failed or found no address.</param>
/// <param name="TargetInputs">The target's inputs as this reconcile read them, with what it wrote; null when detection read none.</param>
/// <param name="Wrote">This reconcile wrote the target file.</param>
internal sealed record ReconcileObservation(TimeSpan? DetectionDuration, bool DetectionFailed, UnitHealth Health, TargetInputs? TargetInputs = null, bool Wrote = false);

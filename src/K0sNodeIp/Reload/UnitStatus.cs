namespace K0sNodeIp.Reload;

/// <summary>A unit's state as systemd reports it at one instant: what the agent's decisions after a write read.</summary>
/// <param name="SubState">e.g. "running", "auto-restart", "dead" (for the log).</param>
/// <param name="Result">The service's Result: "success", "exit-code", "exec-condition", ... (for the log and <see cref="StartRefusedByCondition"/>).</param>
/// <param name="Restarts">NRestarts: how often systemd's Restart= started it again since the last start of a job.</param>
internal sealed record UnitStatus(UnitActiveState ActiveState, string SubState, string Result, UnitJobKind PendingJob, uint Restarts)
{
    /// <summary>The ExecCondition= Result: a start was refused by a condition, and the unit was left inactive.</summary>
    public const string ConditionResult = "exec-condition";

    /// <summary>
    /// Running, or about to be: active, activating (auto-restart included), reloading, or stopped by a job that will start
    /// it again (an operator's restart in its stop phase). A plain stop job means it will be stopped.
    /// </summary>
    public bool Running => PendingJob switch
    {
        UnitJobKind.Start => true,
        UnitJobKind.Stop => false,
        _ => ActiveState is UnitActiveState.Active or UnitActiveState.Activating or UnitActiveState.Reloading,
    };

    /// <summary>
    /// A run of it exists now (active, activating, reloading), whatever job is pending: a kubelet holding the last pair.
    /// A boot's worker, inactive with a start job waiting for the agent, has none yet, though <see cref="Running"/> counts it.
    /// </summary>
    public bool ActiveNow => ActiveState is UnitActiveState.Active or UnitActiveState.Activating or UnitActiveState.Reloading;

    /// <summary>Its last start was skipped by an ExecCondition= (the drop-in's check of the unit file), and nothing started it since.</summary>
    public bool StartRefusedByCondition => ActiveState == UnitActiveState.Inactive && PendingJob == UnitJobKind.None && Result == ConditionResult;

    /// <summary>Its process failed: failed, or waiting to be started again by Restart= after an exit.</summary>
    public bool Failing => ActiveState == UnitActiveState.Failed || SubState == "auto-restart";

    public static UnitActiveState ParseActiveState(string? state) => state switch
    {
        "active" => UnitActiveState.Active,
        "reloading" => UnitActiveState.Reloading,
        "inactive" => UnitActiveState.Inactive,
        "failed" => UnitActiveState.Failed,
        "activating" => UnitActiveState.Activating,
        "deactivating" => UnitActiveState.Deactivating,
        _ => UnitActiveState.Unknown,
    };

    /// <summary>A job's JobType (systemd's job_type_to_string) as what it leaves the unit as.</summary>
    public static UnitJobKind ParseJobType(string? type) => type switch
    {
        null or "" => UnitJobKind.None,
        "start" or "restart" or "try-restart" or "reload-or-start" => UnitJobKind.Start,
        "stop" => UnitJobKind.Stop,
        _ => UnitJobKind.Other,
    };
}

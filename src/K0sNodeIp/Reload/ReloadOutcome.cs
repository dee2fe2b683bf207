namespace K0sNodeIp.Reload;

/// <summary>What became of a reload request.</summary>
internal enum ReloadOutcome
{
    Restarted,
    Deferred,
    Disabled,
    Failed,

    /// <summary>The unit is stopped and stays so; it starts with the new file when the operator starts it.</summary>
    NotRunning,

    /// <summary>Daemon-reloaded only (<see cref="ReloadAction.DaemonReloadOnly"/>): a running unit keeps running, nothing is owed.</summary>
    DaemonReloaded,

    /// <summary>The unit's last start was refused by the drop-in's ExecCondition= (its unit file had changed); it was started now.</summary>
    StartedAfterRefusal,
}

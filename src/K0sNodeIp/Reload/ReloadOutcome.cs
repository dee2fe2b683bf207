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
}

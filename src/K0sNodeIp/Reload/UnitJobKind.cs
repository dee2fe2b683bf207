namespace K0sNodeIp.Reload;

/// <summary>What the job queued or running for a unit will leave it as (its "Job" property and the job's JobType).</summary>
internal enum UnitJobKind
{
    None,

    /// <summary>start, restart, try-restart, reload-or-start, ...: the unit will be running when the job is done.</summary>
    Start,

    /// <summary>stop: the unit will be stopped.</summary>
    Stop,

    /// <summary>verify-active, reload, nop: the job does not change whether the unit runs.</summary>
    Other,
}

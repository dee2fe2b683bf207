namespace K0sNodeIp.Agent;

/// <summary>How one reconcile ended.</summary>
internal enum ReconcileStatus
{
    Unchanged,
    Changed,
    NothingDetected,
    Failed,

    /// <summary>The file holds the new pair, but the unit's restart failed (it is owed and asked again).</summary>
    RestartFailed,

    /// <summary>At start, a family the target expects is not there yet: nothing written, waiting (Watch:StartupWait).</summary>
    WaitingForFamily,

    /// <summary>The target's folder is read-only for the agent (its sandbox): nothing written, the fix named in the error; the daemon is ready and retries.</summary>
    WriteRefused,

    /// <summary>The unit the target copies (the k0s worker) is not installed: nothing written; the file is written when it appears.</summary>
    UnitAbsent,
}

namespace K0sNodeIp.Check;

/// <summary>The outcome of a drift check, with the exit code a monitoring plugin gives it.</summary>
internal enum DriftStatus
{
    /// <summary>Everything that could be compared agrees (exit 0).</summary>
    Agree = 0,

    /// <summary>Detection, the target file and the running kubelet do not all agree (exit 1).</summary>
    Differ = 1,

    /// <summary>Cannot tell: the target is unreadable or nothing was detected (exit 3).</summary>
    Unknown = 3,
}

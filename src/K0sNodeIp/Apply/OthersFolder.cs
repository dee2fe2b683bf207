namespace K0sNodeIp.Apply;

/// <summary>What root's atomic write does in a folder someone other than root can write.</summary>
internal enum OthersFolder
{
    /// <summary>Refuse, naming the folder, its owner and mode: root's own files (targets, drop-ins, backups, the state) never go there.</summary>
    Refuse,

    /// <summary>Write, every call relative to the folder opened once: a new file that is safe there (the metrics, a snapshot).</summary>
    Write,
}

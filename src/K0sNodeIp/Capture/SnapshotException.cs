namespace K0sNodeIp.Capture;

/// <summary>A --from-snapshot file that cannot be replayed: not a snapshot, another schema version, or a bad field (named).</summary>
internal sealed class SnapshotException(string message, Exception? inner = null) : Exception(message, inner);

namespace K0sNodeIp.Sources;

/// <summary>
/// resolv.conf's <c>rotate</c> as Go does it (<c>dnsConfig.serverOffset</c>): a per-process counter that each query
/// advances by one, so the first query starts at the first server, the next at the second. Not a shuffle.
/// </summary>
internal static class ServerRotation
{
    private static uint _next;

    /// <summary>The offset of the next query's first server.</summary>
    public static uint Next() => Interlocked.Increment(ref _next) - 1;
}

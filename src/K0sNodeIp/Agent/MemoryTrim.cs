namespace K0sNodeIp.Agent;

/// <summary>Gives memory back before the daemon idles.</summary>
internal static class MemoryTrim
{
    /// <summary>A detection on a big node allocates a snapshot of every address; an idle agent should not keep it.</summary>
    public static void BeforeIdling() => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}

namespace K0sNodeIp.Configuration;

/// <summary>Which answer a snapshot records as made with a setting, so that a replay cannot apply a change to it.</summary>
internal enum RecordedAnswer
{
    /// <summary>None: a replay applies the setting to the recorded node.</summary>
    None,

    /// <summary>The hostname lookup (its resolver, its limits, the kubelet build that chose the resolver) was made with it.</summary>
    Lookup,

    /// <summary>The target's files and its family rule were read with it.</summary>
    TargetFiles,
}

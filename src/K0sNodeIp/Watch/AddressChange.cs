namespace K0sNodeIp.Watch;

/// <summary>What an RTM_NEWADDR says about an address, against what the watcher knew.</summary>
internal enum AddressChange
{
    /// <summary>An address that was not there.</summary>
    Added,

    /// <summary>The same address with the same flags: only its lifetimes were renewed.</summary>
    LifetimeOnly,

    /// <summary>The same address with other flags (deprecated, tentative, DAD failed, ...).</summary>
    FlagsChanged,
}

namespace K0sNodeIp.Policy;

/// <summary>Why a candidate address was not taken; its words come from <see cref="Rejection"/>.</summary>
internal enum RejectionReason
{
    /// <summary>0.0.0.0 or ::, which kubelet's validateNodeIP rejects (as the four below).</summary>
    Unspecified,
    Loopback,
    Multicast,
    LinkLocal,
    Broadcast,

    /// <summary>On an interface a Detection:SkipInterfaces rule (or a built-in one) skips.</summary>
    SkippedInterface,

    /// <summary>Outside every Detection:AllowedCidrs range of its family.</summary>
    OutsideAllowedCidrs,

    /// <summary>A control-plane virtual IP of the k0s config.</summary>
    VirtualIp,

    /// <summary>Inside a Detection:ExcludeCidrs range.</summary>
    ExcludedCidr,

    /// <summary>A lookup answer no local interface holds.</summary>
    NotLocal,

    /// <summary>The hostname is an IP address no local interface holds.</summary>
    HostnameNotLocal,

    /// <summary>Usable, but an address of an earlier source or of the same step comes first.</summary>
    Outranked,

    /// <summary>Usable, but not stable (temporary, deprecated, ...) while a stable one is there.</summary>
    LessStable,

    /// <summary>Usable, but the target's current address is kept (Detection:KeepCurrent).</summary>
    NotKept,
}

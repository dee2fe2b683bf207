namespace K0sNodeIp.Policy;

/// <summary>Where a candidate address came from.</summary>
internal enum CandidateSource
{
    Static,
    CanReach,
    Interface,
    HostnameIp,
    Lookup,
    DefaultRoute,
    Loopback,
    InterfaceScan,
}

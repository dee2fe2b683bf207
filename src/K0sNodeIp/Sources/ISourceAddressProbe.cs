using System.Net;

namespace K0sNodeIp.Sources;

/// <summary>Which local address the kernel would use to reach a destination.</summary>
internal interface ISourceAddressProbe
{
    /// <summary>The source address, or null when the destination is unreachable.</summary>
    IPAddress? SourceFor(IPAddress destination);
}

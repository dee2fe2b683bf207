using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Policy;

/// <summary>What makes a pick risky.</summary>
internal enum PickRisk
{
    /// <summary>A hostname answer (or the hostname itself) on an interface that is administratively down.</summary>
    InterfaceDown,

    /// <summary>An address on a link without carrier (NO-CARRIER) while another default-route interface has carrier.</summary>
    NoCarrier,

    /// <summary>An address on a tunnel/VPN interface while another interface holds a default route.</summary>
    Tunnel,

    /// <summary>The hostname is an IP address not assigned here (rejected, not picked: the warning says why).</summary>
    HostnameNotLocal,
}

/// <summary>A warning about a family's decision that stands (it never changes the pick), with its words for the operator.</summary>
/// <param name="Interface">Where the picked address is; null when the address is on none (<see cref="PickRisk.HostnameNotLocal"/>).</param>
/// <param name="Alternative">The interface that would be the better pick, when the warning names one.</param>
/// <param name="Text">The explanation, without the "warning: " the reports put before it.</param>
internal sealed record PickWarning(PickRisk Risk, IpFamily Family, IPAddress Address, string? Interface, string? Alternative, string Text)
{
    /// <summary>As the family's notes and the reports say it.</summary>
    public string Note => "warning: " + Text;
}

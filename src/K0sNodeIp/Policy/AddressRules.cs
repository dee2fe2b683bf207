using System.Net;
using System.Net.Sockets;

namespace K0sNodeIp.Policy;

/// <summary>Go's address classifications as kubelet applies them.</summary>
internal static class AddressRules
{
    private static bool IsLoopback(IPAddress a) => IPAddress.IsLoopback(a);

    private static bool IsUnspecified(IPAddress a) => a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any);

    private static bool IsMulticast(IPAddress a) =>
        a.AddressFamily == AddressFamily.InterNetwork ? (a.GetAddressBytes()[0] & 0xf0) == 0xe0 : a.IsIPv6Multicast;

    private static bool IsLinkLocalUnicast(IPAddress a)
    {
        if (a.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = a.GetAddressBytes();
            return b[0] == 169 && b[1] == 254;
        }

        return a.IsIPv6LinkLocal;
    }

    /// <summary>
    /// The reason kubelet's <c>validateNodeIP</c> (address part) or Go's <c>IsGlobalUnicast</c> rejects an
    /// address (one of the address classes of <see cref="RejectionReason"/>), or null when it passes. Private IPv4 and
    /// IPv6 ULA addresses pass, as in Go.
    /// </summary>
    public static RejectionReason? Unusable(IPAddress a)
    {
        if (IsUnspecified(a))
        {
            return RejectionReason.Unspecified;
        }

        if (IsLoopback(a))
        {
            return RejectionReason.Loopback;
        }

        if (IsMulticast(a))
        {
            return RejectionReason.Multicast;
        }

        if (IsLinkLocalUnicast(a))
        {
            return RejectionReason.LinkLocal;
        }

        return a.Equals(IPAddress.Broadcast) ? RejectionReason.Broadcast : null;
    }
}

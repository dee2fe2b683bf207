using System.Net;
using System.Net.Sockets;

namespace K0sNodeIp.Sources;

/// <summary>
/// Asks the kernel's routing decision with a connected UDP socket that sends nothing, as Go's
/// RFC 6724 source selection and Calico's <c>can-reach</c> do.
/// </summary>
internal sealed class UdpSourceAddressProbe : ISourceAddressProbe
{
    // The discard port: nothing is sent, connect() only picks a route and a source address.
    private const int DiscardPort = 9;

    public IPAddress? SourceFor(IPAddress destination)
    {
        try
        {
            using var socket = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(new IPEndPoint(destination, DiscardPort));
            return (socket.LocalEndPoint as IPEndPoint)?.Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace K0sNodeIp.Sources;

/// <summary>
/// Asks each nameserver the first question over a connected UDP socket, as Go's resolver does, only to learn
/// whether the kernel reports an ICMP refusal (nothing listening) instead of a reply.
/// </summary>
internal static class NameserverProbe
{
    public static async Task<bool> AllRefuseAsync(IReadOnlyList<IPAddress> servers, string fqdn, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (Query(fqdn) is not { } query)
        {
            return false;
        }

        var results = await Task.WhenAll(servers.Select(s => RefusesAsync(s, query, wait, cancellationToken)));
        return results.All(refused => refused);
    }

    private static async Task<bool> RefusesAsync(IPAddress server, byte[] query, TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            await socket.ConnectAsync(new IPEndPoint(server, 53), cancellationToken);
            await socket.SendAsync(query, cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wait);
            await socket.ReceiveAsync(new byte[512], timeout.Token);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
        {
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A standard query for the A record of <paramref name="fqdn"/>, or null when the name cannot be encoded.</summary>
    private static byte[]? Query(string fqdn)
    {
        var message = new List<byte> { (byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in fqdn.TrimEnd('.').Split('.'))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > 63)
            {
                return null;
            }

            message.Add((byte)bytes.Length);
            message.AddRange(bytes);
        }

        Span<byte> tail = [0, 0, 1, 0, 1];
        message.AddRange(tail.ToArray());
        return message.Count > 512 ? null : [.. message];
    }
}

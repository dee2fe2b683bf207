using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace K0sNodeIp.Tests.Support;

/// <summary>
/// A DNS responder that misbehaves on purpose, listening on port 53 (UDP and TCP) of 127.0.0.1, or another loopback
/// address, inside a test node's network namespace: its sockets are created on a thread that has entered that
/// namespace with setns(2).
/// </summary>
public sealed partial class FakeDnsServer : IDisposable
{
    private const ushort TypeA = 1;
    private const ushort TypeAaaa = 28;

    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly Behavior _behavior;
    private readonly IPAddress[] _answers;
    private readonly CancellationTokenSource _stop = new();

    public FakeDnsServer(string netns, Behavior behavior, params IPAddress[] answers)
        : this(netns, IPAddress.Loopback, behavior, answers)
    {
    }

    public FakeDnsServer(string netns, IPAddress listen, Behavior behavior, params IPAddress[] answers)
    {
        _behavior = behavior;
        _answers = answers;
        (_udp, _tcp) = CreateSocketsIn(netns, listen);
        _ = Task.Run(ServeUdpAsync);
        _ = Task.Run(ServeTcpAsync);
    }

    public enum Behavior
    {
        /// <summary>Answers every query correctly at once.</summary>
        Answer,

        /// <summary>NXDOMAIN for every name.</summary>
        NxDomain,

        /// <summary>An authoritative NOERROR with no records.</summary>
        NoRecords,

        /// <summary>NOERROR with no answer, not authoritative, no recursion, no additional records.</summary>
        LameReferral,

        /// <summary>Never answers.</summary>
        Silent,

        ServFail,
        Refused,
        TruncatedOverUdp,
        Garbage,
        WrongName,
        AnswerAButDropAaaa,

        /// <summary>Answers every query correctly, but only after <see cref="SlowAnswerDelay"/>.</summary>
        SlowAnswer,
    }

    public static readonly TimeSpan SlowAnswerDelay = TimeSpan.FromSeconds(3);

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Dispose();
        _stop.Dispose();
    }

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[1500];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var reply = Answer(buffer.AsSpan(0, received.ReceivedBytes), overTcp: false);
            if (reply is not null && _behavior == Behavior.SlowAnswer)
            {
                // Each query waits on its own, so A and AAAA asked together are both late by the delay, not twice it.
                var to = received.RemoteEndPoint;
                _ = Task.Run(async () =>
                {
                    await Task.Delay(SlowAnswerDelay, _stop.Token);
                    await _udp.SendToAsync(reply, to);
                });
            }
            else if (reply is not null)
            {
                await _udp.SendToAsync(reply, received.RemoteEndPoint);
            }
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _tcp.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            // Each connection on its own, kept open for further queries as real servers do (RFC 7766): DnsClient reuses
            // its TCP connections, and a server that closed after one answer made the next query fail on a dead socket.
            _ = Task.Run(() => ServeTcpClientAsync(client));
        }
    }

    private async Task ServeTcpClientAsync(Socket client)
    {
        using (client)
        {
            try
            {
                var length = new byte[2];
                while (!_stop.IsCancellationRequested && await ReceiveExactlyAsync(client, length))
                {
                    var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
                    if (!await ReceiveExactlyAsync(client, query))
                    {
                        return;
                    }

                    if (Answer(query, overTcp: true) is not { } reply)
                    {
                        // A behaviour that drops the query closes the connection, as before.
                        return;
                    }

                    var framed = new byte[reply.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)reply.Length);
                    reply.CopyTo(framed, 2);
                    await client.SendAsync(framed, _stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // The client went away or the server stops.
            }
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the client closed the connection first.</summary>
    private async Task<bool> ReceiveExactlyAsync(Socket client, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var received = await client.ReceiveAsync(buffer.AsMemory(read), _stop.Token);
            if (received == 0)
            {
                return false;
            }

            read += received;
        }

        return true;
    }

    private byte[]? Answer(ReadOnlySpan<byte> query, bool overTcp)
    {
        var questionEnd = 12;
        while (query[questionEnd] != 0)
        {
            questionEnd += query[questionEnd] + 1;
        }

        questionEnd += 5;
        var type = BinaryPrimitives.ReadUInt16BigEndian(query[(questionEnd - 4)..]);
        var question = query[12..questionEnd];
        switch (_behavior)
        {
            case Behavior.Silent:
                return null;
            case Behavior.NxDomain:
                return Reply(query, question, rcode: 3, []);
            case Behavior.NoRecords:
                return Reply(query, question, rcode: 0, [], flags: 0x8580);
            case Behavior.LameReferral:
                return Reply(query, question, rcode: 0, [], flags: 0x8100);
            case Behavior.ServFail:
                return Reply(query, question, rcode: 2, []);
            case Behavior.Refused:
                return Reply(query, question, rcode: 5, []);
            case Behavior.Garbage:
                return Encoding.ASCII.GetBytes("garbage!");
            case Behavior.TruncatedOverUdp when !overTcp:
                return Reply(query, question, rcode: 0, [], truncated: true);
            case Behavior.AnswerAButDropAaaa when type == TypeAaaa:
                return null;
            case Behavior.WrongName:
                return Reply(query, question, rcode: 0, Records(type), ownerName: "someone-else.example");
            default:
                return Reply(query, question, rcode: 0, Records(type));
        }
    }

    private IPAddress[] Records(ushort type) =>
        _answers.Where(a => a.AddressFamily == (type == TypeA ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6)).ToArray();

    /// <param name="flags">The header's flags: QR, RD and RA (0x8180) unless given.</param>
    private static byte[] Reply(ReadOnlySpan<byte> query, ReadOnlySpan<byte> question, int rcode, IPAddress[] records, bool truncated = false, string? ownerName = null, ushort flags = 0x8180)
    {
        var reply = new List<byte>();
        reply.AddRange(query[..2].ToArray());
        flags = (ushort)(flags | rcode | (truncated ? 0x0200 : 0));
        reply.AddRange([(byte)(flags >> 8), (byte)flags, 0, 1, 0, (byte)records.Length, 0, 0, 0, 0]);
        reply.AddRange(question.ToArray());
        foreach (var record in records)
        {
            if (ownerName is null)
            {
                reply.AddRange([0xc0, 0x0c]);
            }
            else
            {
                foreach (var label in ownerName.Split('.'))
                {
                    reply.Add((byte)label.Length);
                    reply.AddRange(Encoding.ASCII.GetBytes(label));
                }

                reply.Add(0);
            }

            var data = record.GetAddressBytes();
            var recordType = data.Length == 4 ? TypeA : TypeAaaa;
            reply.AddRange([(byte)(recordType >> 8), (byte)recordType, 0, 1, 0, 0, 0, 60, 0, (byte)data.Length]);
            reply.AddRange(data);
        }

        return [.. reply];
    }

    private static (Socket Udp, Socket Tcp) CreateSocketsIn(string netns, IPAddress listen)
    {
        (Socket, Socket)? sockets = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            using var home = File.OpenHandle("/proc/thread-self/ns/net");
            using var target = File.OpenHandle($"/var/run/netns/{netns}");
            try
            {
                Enter(target);
                var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(listen, 53));
                var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(listen, 53));
                tcp.Listen();
                sockets = (udp, tcp);
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                Enter(home);
            }
        });
        thread.Start();
        thread.Join();
        return sockets ?? throw new InvalidOperationException($"cannot listen in {netns}", failure);
    }

    private static void Enter(Microsoft.Win32.SafeHandles.SafeFileHandle ns)
    {
        const int CloneNewNet = 0x40000000;
        if (SetNs((int)ns.DangerousGetHandle(), CloneNewNet) != 0)
        {
            throw new IOException($"setns failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}

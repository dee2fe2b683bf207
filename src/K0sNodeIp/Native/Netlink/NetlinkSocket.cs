using System.Buffers.Binary;
using static K0sNodeIp.Native.Netlink.NetlinkConstants;

namespace K0sNodeIp.Native.Netlink;

/// <summary>
/// A NETLINK_ROUTE socket: dump requests (links, addresses) and, when bound to multicast groups,
/// a blocking stream of change notifications. One socket, one reader at a time.
/// </summary>
internal sealed unsafe class NetlinkSocket : INotificationSocket
{
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly FileDescriptorHandle _handle;
    private readonly byte[] _buffer = new byte[ReceiveBufferSize];
    private uint _sequence;

    public NetlinkSocket(uint groups = 0)
    {
        var fd = Libc.socket(Libc.AfNetlink, Libc.SockRaw | Libc.SockCloexec, Libc.NetlinkRoute);
        if (fd < 0)
        {
            throw NativeErrorException.FromLastError("socket(AF_NETLINK)");
        }

        _handle = new FileDescriptorHandle(fd);
        if (groups != 0)
        {
            // A bigger kernel-side buffer makes ENOBUFS (lost events) rare during address storms.
            var size = 1024 * 1024;
            _ = Libc.setsockopt(fd, Libc.SolSocket, Libc.SoRcvbuf, &size, sizeof(int));
        }

        var address = new Libc.SockAddrNetlink { Family = Libc.AfNetlink, Groups = groups };
        if (Libc.bind(fd, &address, sizeof(Libc.SockAddrNetlink)) != 0)
        {
            var error = NativeErrorException.FromLastError("bind(AF_NETLINK)");
            _handle.Dispose();
            throw error;
        }
    }

    /// <summary>The dumps tried before a table that keeps changing under them is an error.</summary>
    public const int DumpAttempts = 10;

    /// <summary>
    /// Sends a dump request and hands each reply message of the expected type to <paramref name="onMessage"/>, once the
    /// dump is complete and consistent: one the kernel marks interrupted (NLM_F_DUMP_INTR) is asked for again.
    /// </summary>
    /// <exception cref="NativeErrorException">The dump failed, or was interrupted <see cref="DumpAttempts"/> times in a row.</exception>
    public void Dump(ushort requestType, byte family, int fixedHeaderLength, ushort replyType, MessageHandler onMessage)
    {
        for (var attempt = 1; ; attempt++)
        {
            var replies = new DumpReplies(Request(requestType, family, fixedHeaderLength), replyType);
            while (!replies.Done)
            {
                replies.Add(_buffer.AsSpan(0, Receive()));
            }

            if (!replies.Interrupted)
            {
                foreach (var payload in replies.Payloads)
                {
                    onMessage(payload);
                }

                return;
            }

            if (attempt == DumpAttempts)
            {
                throw new NativeErrorException($"netlink dump interrupted by concurrent changes {DumpAttempts} times in a row");
            }
        }
    }

    /// <summary>Sends one dump request; returns its sequence number.</summary>
    private uint Request(ushort requestType, byte family, int fixedHeaderLength)
    {
        var sequence = ++_sequence;
        Span<byte> request = stackalloc byte[HeaderLength + fixedHeaderLength];
        request.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(request, (uint)request.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(request[4..], requestType);
        BinaryPrimitives.WriteUInt16LittleEndian(request[6..], NlmFRequest | NlmFDump);
        BinaryPrimitives.WriteUInt32LittleEndian(request[8..], sequence);
        request[HeaderLength] = family;
        var added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            fixed (byte* p = request)
            {
                while (Libc.send(_handle.Fd, p, request.Length, 0) < 0)
                {
                    ThrowUnlessInterrupted("send(netlink)");
                }
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }

        return sequence;
    }

    /// <summary>Blocks until the kernel sends notifications, then hands each to <paramref name="onMessage"/>.</summary>
    /// <returns>False when the kernel dropped notifications (ENOBUFS): the caller must assume anything changed.</returns>
    public bool ReceiveNotifications(NotificationHandler onMessage)
    {
        int received;
        try
        {
            received = Receive();
        }
        catch (NativeErrorException e) when (e.Errno == Libc.Enobufs)
        {
            return false;
        }

        var reader = new NetlinkMessageReader(_buffer.AsSpan(0, received));
        while (reader.TryRead(out var type, out _, out var payload))
        {
            onMessage(type, payload);
        }

        return true;
    }

    /// <summary>
    /// Closes the socket. A reader blocked in recv holds a reference (see <see cref="Receive"/>), so the descriptor is
    /// closed when that call returns, never while it uses it (no reuse of the number by another open under it).
    /// </summary>
    public void Dispose()
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);

            // Wakes a blocked reader where the protocol supports it; netlink answers EOPNOTSUPP, which is harmless.
            _ = Libc.shutdown(_handle.Fd, Libc.ShutReadWrite);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }

        _handle.Dispose();
    }

    private int Receive()
    {
        // The reference keeps the descriptor open for the whole call, even if Dispose runs on another thread.
        var added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            fixed (byte* p = _buffer)
            {
                while (true)
                {
                    var n = Libc.recv(_handle.Fd, p, _buffer.Length, 0);
                    if (n >= 0)
                    {
                        return (int)n;
                    }

                    ThrowUnlessInterrupted("recv(netlink)");
                }
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private static void ThrowUnlessInterrupted(string call)
    {
        var error = NativeErrorException.FromLastError(call);
        if (error.Errno is not (Libc.Eintr or Libc.Eagain))
        {
            throw error;
        }
    }

    internal delegate void MessageHandler(ReadOnlySpan<byte> payload);

    internal delegate void NotificationHandler(ushort type, ReadOnlySpan<byte> payload);
}

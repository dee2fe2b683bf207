using System.Buffers.Binary;
using static K0sNodeIp.Native.Netlink.NetlinkConstants;

namespace K0sNodeIp.Native.Netlink;

/// <summary>
/// The replies to one dump request, gathered across datagrams until NLMSG_DONE: kept, not handed on, because a dump the
/// kernel marks NLM_F_DUMP_INTR (the table changed while it was read) is inconsistent and must be redone whole.
/// </summary>
internal sealed class DumpReplies(uint sequence, ushort replyType)
{
    private readonly List<byte[]> _payloads = [];

    public bool Done { get; private set; }

    public bool Interrupted { get; private set; }

    public IReadOnlyList<byte[]> Payloads => _payloads;

    /// <exception cref="NativeErrorException">The kernel answered the dump with an error.</exception>
    /// <exception cref="FormatException">A message's length overruns the datagram.</exception>
    public void Add(ReadOnlySpan<byte> datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (!Done && reader.TryRead(out var type, out var flags, out var seq, out var payload))
        {
            if (seq != sequence)
            {
                continue;
            }

            Interrupted |= (flags & NlmFDumpInterrupted) != 0;
            switch (type)
            {
                case NlmsgDone:
                    Done = true;
                    break;
                case NlmsgError:
                    var errno = payload.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(payload) : 0;
                    if (errno != 0)
                    {
                        throw new NativeErrorException("netlink dump", errno);
                    }

                    Done = true;
                    break;
                default:
                    if (type == replyType)
                    {
                        _payloads.Add(payload.ToArray());
                    }

                    break;
            }
        }
    }
}

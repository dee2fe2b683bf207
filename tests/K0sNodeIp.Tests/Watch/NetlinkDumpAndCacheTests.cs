using System.Buffers.Binary;
using System.Text;
using K0sNodeIp.Native.Netlink;
using K0sNodeIp.Watch;
using Microsoft.Extensions.Logging.Abstractions;
using static K0sNodeIp.Native.Netlink.NetlinkConstants;

namespace K0sNodeIp.Tests.Watch;

public sealed class NetlinkDumpAndCacheTests
{
    private const uint Sequence = 7;

    [Fact]
    public void Dump_marked_interrupted_by_the_kernel_is_reported_so_it_is_redone_not_used()
    {
        var replies = new DumpReplies(Sequence, RtmNewLink);

        replies.Add([.. Message(RtmNewLink, 0, Link(2, "eth0"))]);
        replies.Add([.. Message(RtmNewLink, NlmFDumpInterrupted, Link(3, "eth1")), .. Message(NlmsgDone, NlmFDumpInterrupted, new byte[4])]);

        Assert.True(replies.Done);
        Assert.True(replies.Interrupted);
    }

    [Fact]
    public void Complete_dump_hands_on_every_reply_of_its_own_request()
    {
        var replies = new DumpReplies(Sequence, RtmNewLink);

        replies.Add([.. Message(RtmNewLink, 0, Link(2, "eth0")), .. Message(RtmNewLink, 0, Link(9, "other"), sequence: 99), .. Message(NlmsgDone, 0, new byte[4])]);

        Assert.True(replies.Done);
        Assert.False(replies.Interrupted);
        Assert.Equal([2], replies.Payloads.Select(p => NetlinkParser.ParseLink(p).Index));
    }

    [Fact]
    public void Removed_links_are_forgotten_by_the_watchers_name_cache()
    {
        const int Links = 2_000;
        using var lastRemoved = new ManualResetEventSlim();
        var socket = new ScriptedSocket(Enumerable.Range(0, Links).SelectMany(i => new[]
        {
            (RtmNewLink, Link(1_000_000 + i, $"veth{i}")),
            (RtmDelLink, Link(1_000_000 + i, $"veth{i}")),
        }).ToList());
        using var watcher = new NetlinkWatcher(_ => false, allRoutes: false, reason =>
        {
            if (reason == $"link veth{Links - 1} removed")
            {
                lastRemoved.Set();
            }
        }, NullLogger.Instance, () => socket, TimeSpan.FromMilliseconds(10), maxFailures: 3);

        watcher.Start();

        Assert.True(lastRemoved.Wait(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(watcher.KnownIndexes(), index => index >= 1_000_000);
    }

    private static byte[] Link(int index, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        var attribute = 4 + nameBytes.Length;
        var payload = new byte[IfInfoLength + ((attribute + 3) & ~3)];
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), index);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(IfInfoLength), (ushort)attribute);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(IfInfoLength + 2), IflaIfname);
        nameBytes.CopyTo(payload, IfInfoLength + 4);
        return payload;
    }

    private static byte[] Message(ushort type, ushort flags, byte[] payload, uint sequence = Sequence)
    {
        var message = new byte[(HeaderLength + payload.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)(HeaderLength + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
        payload.CopyTo(message, HeaderLength);
        return message;
    }

    /// <summary>Delivers its messages once, then waits until closed, as a quiet socket does.</summary>
    private sealed class ScriptedSocket(IReadOnlyList<(ushort Type, byte[] Payload)> messages) : INotificationSocket
    {
        private readonly ManualResetEventSlim _closed = new();
        private bool _delivered;

        public bool ReceiveNotifications(NetlinkSocket.NotificationHandler onMessage)
        {
            if (!_delivered)
            {
                _delivered = true;
                foreach (var (type, payload) in messages)
                {
                    onMessage(type, payload);
                }

                return true;
            }

            _closed.Wait();
            throw new ObjectDisposedException(nameof(ScriptedSocket));
        }

        public void Dispose() => _closed.Set();
    }
}

using System.Buffers.Binary;
using static K0sNodeIp.Native.Netlink.NetlinkConstants;

namespace K0sNodeIp.Native.Netlink;

/// <summary>Walks the netlink messages of one received datagram, rejecting lengths that overrun it.</summary>
internal ref struct NetlinkMessageReader(ReadOnlySpan<byte> buffer)
{
    private ReadOnlySpan<byte> _rest = buffer;

    public bool TryRead(out ushort type, out uint sequence, out ReadOnlySpan<byte> payload) => TryRead(out type, out _, out sequence, out payload);

    public bool TryRead(out ushort type, out ushort flags, out uint sequence, out ReadOnlySpan<byte> payload)
    {
        type = 0;
        flags = 0;
        sequence = 0;
        payload = default;
        if (_rest.Length < HeaderLength)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        if (length < HeaderLength || length > _rest.Length)
        {
            throw new FormatException($"netlink message length {length} does not fit the {_rest.Length} bytes left");
        }

        type = BinaryPrimitives.ReadUInt16LittleEndian(_rest[4..]);
        flags = BinaryPrimitives.ReadUInt16LittleEndian(_rest[6..]);
        sequence = BinaryPrimitives.ReadUInt32LittleEndian(_rest[8..]);
        payload = _rest[HeaderLength..(int)length];
        var aligned = Align((int)length);
        _rest = aligned >= _rest.Length ? [] : _rest[aligned..];
        return true;
    }

    internal static int Align(int length) => (length + 3) & ~3;
}

/// <summary>Walks the route attributes (struct rtattr) after a message's fixed header.</summary>
internal ref struct RouteAttributeReader(ReadOnlySpan<byte> attributes)
{
    private ReadOnlySpan<byte> _rest = attributes;

    public bool TryRead(out ushort type, out ReadOnlySpan<byte> value)
    {
        type = 0;
        value = default;
        if (_rest.Length < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < 4 || length > _rest.Length)
        {
            throw new FormatException($"route attribute length {length} does not fit the {_rest.Length} bytes left");
        }

        // The top two bits are NLA_F_NESTED and NLA_F_NET_BYTEORDER, not part of the type.
        type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & 0x3fff);
        value = _rest[4..length];
        var aligned = NetlinkMessageReader.Align(length);
        _rest = aligned >= _rest.Length ? [] : _rest[aligned..];
        return true;
    }
}

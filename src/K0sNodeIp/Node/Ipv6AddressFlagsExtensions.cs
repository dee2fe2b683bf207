namespace K0sNodeIp.Node;

/// <summary>What the flags mean for node-IP selection.</summary>
internal static class Ipv6AddressFlagsExtensions
{
    /// <summary>Flags that make an address a poor node IP while a stable one exists.</summary>
    public const Ipv6AddressFlags Unstable =
        Ipv6AddressFlags.Tentative | Ipv6AddressFlags.DadFailed | Ipv6AddressFlags.Deprecated | Ipv6AddressFlags.Temporary;

    /// <summary>The reason an address with these flags is passed over, or null when it is stable.</summary>
    public static string? InstabilityReason(this Ipv6AddressFlags flags)
    {
        // Most severe first: a DAD-failed address is unusable, a temporary one merely changes often.
        if ((flags & Ipv6AddressFlags.DadFailed) != 0)
        {
            return "DAD failed";
        }

        if ((flags & Ipv6AddressFlags.Tentative) != 0)
        {
            return "tentative";
        }

        if ((flags & Ipv6AddressFlags.Deprecated) != 0)
        {
            return "deprecated";
        }

        if ((flags & Ipv6AddressFlags.Temporary) != 0)
        {
            return "temporary (privacy)";
        }

        return null;
    }
}

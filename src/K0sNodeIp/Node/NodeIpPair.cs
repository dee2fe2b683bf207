using System.Net;

namespace K0sNodeIp.Node;

/// <summary>The addresses to hand kubelet, primary family first.</summary>
internal sealed record NodeIpPair(IPAddress? Ipv4, IPAddress? Ipv6, IpFamily Primary)
{
    /// <summary>The addresses, primary family first; one when only one family exists.</summary>
    public IReadOnlyList<IPAddress> Addresses => (Primary == IpFamily.IPv4 ? new[] { Ipv4, Ipv6 } : [Ipv6, Ipv4]).OfType<IPAddress>().ToArray();

    /// <summary>"192.0.2.10,2001:db8::10": the value of --node-ip.</summary>
    public string Value => string.Join(',', Addresses);

    public string Flag => "--node-ip=" + Value;

    public bool IsEmpty => Ipv4 is null && Ipv6 is null;

    public override string ToString() => IsEmpty ? "(none)" : Value;

    /// <summary>A --node-ip value as a target holds it ("a,b"), or null when it is not one or two addresses.</summary>
    public static NodeIpPair? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        IPAddress? ipv4 = null, ipv6 = null;
        IpFamily? first = null;
        foreach (var part in value.Split(','))
        {
            if (!IPAddress.TryParse(part, out var address))
            {
                return null;
            }

            address = GoAddress.Normalize(address);
            first ??= address.Family();
            if (address.Family() == IpFamily.IPv4)
            {
                ipv4 = address;
            }
            else
            {
                ipv6 = address;
            }
        }

        return new NodeIpPair(ipv4, ipv6, first ?? IpFamily.IPv4);
    }

    public IPAddress? AddressOf(IpFamily family) => family == IpFamily.IPv4 ? Ipv4 : Ipv6;
}

using System.Net;

namespace K0sNodeIp.Node;

/// <summary>The answers of the hostname lookup, in the order the resolver kubelet uses would give them.</summary>
/// <param name="Method">Which resolver answered (hosts file, DNS or getaddrinfo), or none when no lookup ran.</param>
/// <param name="Answers">Addresses in resolver order (RFC 6724 sorted for the Go-style lookup).</param>
/// <param name="Error">Why the lookup gave nothing (NXDOMAIN, timeout, ...), or what failed on the way; null on success.</param>
/// <param name="Faulted">True when a server failed (timeout, SERVFAIL, REFUSED, garbage), not merely "no such name".</param>
internal sealed record HostLookupResult(LookupMethod Method, IReadOnlyList<IPAddress> Answers, string? Error = null, bool Faulted = false)
{
    /// <summary>The resolver kubelet would use, and why; null when no lookup ran.</summary>
    public ResolverChoice? Resolver { get; init; }

    /// <summary>The DNS limits applied, when DNS was asked.</summary>
    public DnsLimits? Dns { get; init; }

    public static HostLookupResult Skipped(string why) => new(LookupMethod.None, [], why);
}

using System.Net;

namespace K0sNodeIp.Sources;

/// <summary>The answers of the hostname lookup, in the order the resolver kubelet uses would give them.</summary>
/// <param name="Method">Which resolver answered: "hosts-file", "dns" or "getaddrinfo".</param>
/// <param name="Answers">Addresses in resolver order (RFC 6724 sorted for the Go-style lookup).</param>
/// <param name="Error">Why the lookup gave nothing (NXDOMAIN, timeout, ...); null on success.</param>
public sealed record HostLookupResult(string Method, IReadOnlyList<IPAddress> Answers, string? Error = null)
{
    public static HostLookupResult Skipped(string why) => new("none", [], why);
}

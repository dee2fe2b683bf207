namespace K0sNodeIp.Sources;

/// <summary>How the hostname lookup is done.</summary>
internal enum ResolverMode
{
    /// <summary>As the kubelet that runs here: Go's resolver for a static kubelet, Go's cgo rules for a dynamic one.</summary>
    Auto,

    /// <summary>Always Go's resolver semantics (hosts file, DnsClient, RFC 6724 sort).</summary>
    Go,

    /// <summary>Always glibc's getaddrinfo.</summary>
    Glibc,
}

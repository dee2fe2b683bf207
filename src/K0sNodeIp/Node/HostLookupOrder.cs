namespace K0sNodeIp.Node;

/// <summary>Which resolver answers a hostname lookup, and in what order (Go's <c>hostLookupOrder</c>).</summary>
public enum HostLookupOrder
{
    /// <summary>glibc's getaddrinfo (only a cgo-built kubelet does this).</summary>
    Glibc,

    /// <summary>Go's resolver: /etc/hosts, then DNS when the hosts file has no entry.</summary>
    FilesDns,

    /// <summary>Go's resolver: DNS, then /etc/hosts when DNS gives no address.</summary>
    DnsFiles,

    /// <summary>Go's resolver: /etc/hosts only.</summary>
    Files,

    /// <summary>Go's resolver: DNS only.</summary>
    Dns,
}

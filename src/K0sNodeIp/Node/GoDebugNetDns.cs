namespace K0sNodeIp.Node;

/// <summary>
/// The resolver <c>GODEBUG=netdns=...</c> in kubelet's environment asks for (Go's <c>goDebugNetDNS</c> in
/// net/conf.go: the mode part of <c>go</c>, <c>cgo</c>, <c>go+1</c>, <c>2+cgo</c>; a debug level alone sets none).
/// </summary>
public enum GoDebugNetDns
{
    /// <summary>No netdns mode: Go's own rules decide (hostLookupOrder).</summary>
    Unset,

    /// <summary><c>netdns=go</c>: Go's resolver, even in a cgo build (conf.netGo).</summary>
    Go,

    /// <summary><c>netdns=cgo</c>: glibc's getaddrinfo, but only in a cgo build; a static binary has no cgo resolver and ignores it.</summary>
    Cgo,
}

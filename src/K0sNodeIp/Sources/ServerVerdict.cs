namespace K0sNodeIp.Sources;

/// <summary>What one nameserver's response means to Go's resolver (net/dnsclient_unix.go).</summary>
internal enum ServerVerdict
{
    /// <summary>Records of the asked type: the query is answered.</summary>
    Answered,

    /// <summary>NXDOMAIN: final, no other server is asked.</summary>
    NoSuchHost,

    /// <summary>Success without a record of the asked type: also final (Go's <c>skipToAnswer</c> gives errNoSuchHost).</summary>
    NoRecords,

    /// <summary>Success with no answer, not authoritative, no recursion, no additional records: the next server is asked.</summary>
    LameReferral,

    /// <summary>SERVFAIL, REFUSED or any other response code: the next server is asked.</summary>
    ServerMisbehaving,
}

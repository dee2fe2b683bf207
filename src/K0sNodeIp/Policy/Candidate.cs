using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Policy;

/// <summary>One address detection looked at, and why it was taken or rejected.</summary>
internal sealed record Candidate(
    IPAddress Address,
    IpFamily Family,
    CandidateSource Source,
    string? Interface,
    bool Accepted,
    string Reason);

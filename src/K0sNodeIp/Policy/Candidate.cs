using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Policy;

/// <summary>One address detection looked at, and why it was taken or rejected (<see cref="Reason"/>: the words for the explanation).</summary>
internal sealed record Candidate(
    IPAddress Address,
    IpFamily Family,
    CandidateSource Source,
    string? Interface,
    bool Accepted,
    string Reason)
{
    /// <summary>Why it was not taken; null when it was. <see cref="Reason"/> holds the words.</summary>
    public RejectionReason? Rejection { get; init; }

    /// <summary>Set when it was taken as the address the target holds (Detection:KeepCurrent): why, without the "kept: " of <see cref="Reason"/>.</summary>
    public string? KeptBecause { get; init; }
}

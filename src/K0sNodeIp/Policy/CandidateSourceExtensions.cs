namespace K0sNodeIp.Policy;

internal static class CandidateSourceExtensions
{
    /// <summary>The short name shown in the explanation and the JSON output.</summary>
    public static string DisplayName(this CandidateSource source) => source switch
    {
        CandidateSource.Static => "static",
        CandidateSource.CanReach => "can-reach",
        CandidateSource.Interface => "interface",
        CandidateSource.HostnameIp => "hostname",
        CandidateSource.Lookup => "lookup",
        CandidateSource.DefaultRoute => "default-route",
        CandidateSource.Loopback => "loopback",
        CandidateSource.InterfaceScan => "interface-scan",
        _ => source.ToString(),
    };

    /// <summary>Sources that only an operator's setting brings in: kubelet has none of them.</summary>
    public static bool IsOverride(this CandidateSource source) =>
        source is CandidateSource.Static or CandidateSource.CanReach or CandidateSource.Interface;
}

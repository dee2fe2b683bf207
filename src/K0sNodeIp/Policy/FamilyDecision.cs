using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Policy;

/// <summary>The outcome for one address family, with everything needed to explain it.</summary>
/// <param name="Chosen">The address taken, or null when the family has none.</param>
/// <param name="KubeletPick">What kubelet's own rules alone would take for this family.</param>
/// <param name="Divergence">Why <paramref name="Chosen"/> differs from <paramref name="KubeletPick"/>; null when they agree.</param>
/// <param name="Notes">Steps that yielded no candidate, and why (lookup failed, no default route, ...).</param>
internal sealed record FamilyDecision(
    IpFamily Family,
    IPAddress? Chosen,
    CandidateSource? ChosenSource,
    IPAddress? KubeletPick,
    string? Divergence,
    IReadOnlyList<Candidate> Candidates,
    IReadOnlyList<string> Notes)
{
    /// <summary>Set when an operator override found nothing for this family and stopped detection for it.</summary>
    public string? OverrideFailure { get; init; }

    /// <summary>With <see cref="OverrideFailure"/>: the setting that left this family with no address (Detection:AllowedCidrs, Detection:Interface, Detection:CanReachIPv4...).</summary>
    public string? FailedSetting { get; init; }

    /// <summary>The address the target holds was kept in place of kubelet's fresh-start pick of the same step (Detection:KeepCurrent).</summary>
    public bool Kept { get; init; }

    /// <summary>Risks of the pick that stand (each is also a "warning: " note).</summary>
    public IReadOnlyList<PickWarning> PickWarnings { get; init; } = [];

    /// <summary>Set when an override found nothing but Detection:OverrideFallback let the next source decide.</summary>
    public string? OverrideFellBack { get; init; }

    /// <summary>With <see cref="OverrideFellBack"/>: the setting that found nothing.</summary>
    public string? FellBackSetting { get; init; }
}

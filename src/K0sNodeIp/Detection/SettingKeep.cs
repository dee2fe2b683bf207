using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Detection;

/// <summary>
/// An operator's setting left a family with no address while the target holds one that is still the node's: the
/// setting is wrong, not the node, so the family keeps that address instead of vanishing from --node-ip (issue 32).
/// Only an address kubelet could still take: up, stable, and refused by nothing but that setting.
/// </summary>
/// <param name="Setting">The setting that found nothing (Detection:AllowedCidrs, Detection:Interface, ...).</param>
internal sealed record SettingKeep(IpFamily Family, IPAddress Address, string Setting)
{
    /// <summary>For each family the decision left empty because of a setting: the held address, when still assigned.</summary>
    public static IReadOnlyList<SettingKeep> For(DetectionResult detected)
    {
        var held = detected.Snapshot.Target.Held;
        var keeps = new List<SettingKeep>();
        foreach (var family in (IpFamily[])[IpFamily.IPv4, IpFamily.IPv6])
        {
            var decided = detected.Decision.For(family);
            if (decided.Chosen is null && decided.FailedSetting is { } setting && held?.AddressOf(family) is { } address
                && Usable(detected.Snapshot, address) && !RejectedOtherwise(decided, address))
            {
                keeps.Add(new SettingKeep(family, address, setting));
            }
        }

        return keeps;
    }

    /// <summary>Assigned to an interface that is up, and stable (not tentative, DAD-failed or deprecated): as kubelet would take it.</summary>
    private static bool Usable(NodeSnapshot snapshot, IPAddress address) =>
        snapshot.FindAssigned(address) is { } found && found.Interface.IsUp && found.Address.Flags.InstabilityReason() is null;

    /// <summary>Evaluated and refused for more than the failed setting (Detection:ExcludeCidrs, a virtual IP, loopback): never kept.</summary>
    private static bool RejectedOtherwise(Policy.FamilyDecision decided, IPAddress address) =>
        decided.Candidates.Any(c => c.Address.Equals(address) && c.Rejection is { } reason && reason != Policy.RejectionReason.OutsideAllowedCidrs);
}

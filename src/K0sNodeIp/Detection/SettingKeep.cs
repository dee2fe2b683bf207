using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Detection;

/// <summary>
/// An operator's setting left a family with no address while the target holds one that is still the node's: the
/// setting is wrong, not the node, so the family keeps that address instead of vanishing from --node-ip (issue 32).
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
                && detected.Snapshot.FindAssigned(address) is not null)
            {
                keeps.Add(new SettingKeep(family, address, setting));
            }
        }

        return keeps;
    }
}

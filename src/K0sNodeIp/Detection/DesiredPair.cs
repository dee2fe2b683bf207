using K0sNodeIp.Formats;
using K0sNodeIp.Node;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Detection;

/// <summary>
/// The one place the pair to write is computed, for --print, --once and the daemon alike: the detection's choice,
/// ordered by the operator's primary family or else the target's own rule (k0s's config), with a held address kept for
/// a family a setting left empty (<see cref="SettingKeep"/>), through family grace.
/// </summary>
internal static class DesiredPair
{
    /// <summary>With the target's own rule over the inputs read with the node.</summary>
    /// <exception cref="TargetException">The target's primary-family rule cannot be read (a bad k0s config).</exception>
    public static DesiredState Compute(DetectionResult detected, IpFamily? configuredPrimary, INodeIpTarget target, FamilyGrace? grace) =>
        Compute(detected, configuredPrimary, () => target.DefaultPrimaryFamily(detected.Snapshot.Target.Inputs), grace);

    /// <param name="targetPrimary">The target's own rule, asked only when the operator set no primary family (a replay gives the recorded one).</param>
    /// <exception cref="TargetException">The target's primary-family rule cannot be read (a bad k0s config).</exception>
    public static DesiredState Compute(DetectionResult detected, IpFamily? configuredPrimary, Func<PrimaryFamilyChoice> targetPrimary, FamilyGrace? grace)
    {
        var primary = configuredPrimary is { } family
            ? new PrimaryFamilyChoice(family, "Detection:PrimaryFamily")
            : targetPrimary();
        var decision = detected.Decision;
        var keeps = SettingKeep.For(detected);
        var pair = new NodeIpPair(
            decision.Ipv4 ?? keeps.FirstOrDefault(k => k.Family == IpFamily.IPv4)?.Address,
            decision.Ipv6 ?? keeps.FirstOrDefault(k => k.Family == IpFamily.IPv6)?.Address,
            primary.Family);
        var notes = new List<string>();
        DateTimeOffset? recheckAt = null;
        var hold = false;
        if (grace is not null)
        {
            var graced = grace.Apply(pair, notes, out recheckAt);
            hold = graced is null;
            pair = graced ?? pair;
        }

        return new DesiredState(detected, pair, primary, notes, recheckAt) { HoldFile = hold, KeptForSettings = keeps };
    }
}

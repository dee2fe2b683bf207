using K0sNodeIp.Configuration;
using K0sNodeIp.Detection;
using K0sNodeIp.Formats;
using K0sNodeIp.Node;
using K0sNodeIp.Report;

namespace K0sNodeIp.Modes;

/// <summary>
/// --print: the pair --once would write (the same detection, overrides and target order rule, <see cref="DesiredPair"/>)
/// and why, from this node (<see cref="ReplayMode"/>: from a node recorded by --snapshot).
/// </summary>
internal sealed class PrintMode(K0sNodeIpOptions options, bool json) : IMode
{
    public int Run(TextWriter stdout, TextWriter stderr)
    {
        var target = Composition.CreateTarget(options);
        var detected = Composition.CreateDetector(options, target).DetectAsync(CancellationToken.None).GetAwaiter().GetResult();
        return Render(detected, options.Detection.ConfiguredPrimaryFamily, () => target.DefaultPrimaryFamily(detected.Snapshot.Target.Inputs), json, stdout, stderr);
    }

    /// <summary>Renders the desired state as --print does; exit 1 when nothing was found, 74 when the target's rule cannot be read.</summary>
    internal static int Render(DetectionResult detected, IpFamily? configuredPrimary, Func<PrimaryFamilyChoice> targetPrimary, bool json, TextWriter stdout, TextWriter stderr)
    {
        DesiredState desired;
        try
        {
            desired = DesiredPair.Compute(detected, configuredPrimary, targetPrimary, grace: null);
        }
        catch (TargetException e)
        {
            stderr.WriteLine($"k0s-node-ip: {e.Message}");
            return ExitCodes.CannotWrite;
        }

        stdout.Write(json ? JsonReport.Render(desired) + Environment.NewLine : TextReport.Render(desired));
        return desired.Pair.IsEmpty ? ExitCodes.NothingDetected : ExitCodes.Success;
    }
}

using K0sNodeIp.Agent;
using K0sNodeIp.Configuration;
using K0sNodeIp.Report;

namespace K0sNodeIp.Modes;

/// <summary>--once [--dry-run]: one reconcile (detect, write when changed, restart), then exit with what it did.</summary>
internal sealed class OnceMode(K0sNodeIpOptions options, bool dryRun) : IMode
{
    public int Run(TextWriter stdout, TextWriter stderr)
    {
        var outcome = Composition.RunOnceAsync(options, dryRun, CancellationToken.None).GetAwaiter().GetResult();
        if (outcome.Diff is not null && dryRun)
        {
            stdout.Write(outcome.Diff);
        }

        return outcome.Status switch
        {
            ReconcileStatus.Changed or ReconcileStatus.Unchanged => ExitCodes.Success,
            // A k0s controller that runs no kubelet: nothing to write is the right outcome there.
            ReconcileStatus.UnitAbsent when outcome.UnitRole == Targets.K0sUnitRole.ControllerOnly => ExitCodes.Success,
            ReconcileStatus.NothingDetected => ExitCodes.NothingDetected,
            ReconcileStatus.RestartFailed => ExitCodes.TempFail,
            _ => ExitCodes.CannotWrite,
        };
    }
}

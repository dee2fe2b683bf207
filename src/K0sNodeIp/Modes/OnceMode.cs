using K0sNodeIp.Agent;
using K0sNodeIp.Configuration;
using K0sNodeIp.Node;
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

        var exit = outcome.Status switch
        {
            ReconcileStatus.Changed or ReconcileStatus.Unchanged => ExitCodes.Success,
            // A k0s controller that runs no kubelet: nothing to write is the right outcome there.
            ReconcileStatus.UnitAbsent when outcome.UnitRole == Targets.K0sUnitRole.ControllerOnly => ExitCodes.Success,
            ReconcileStatus.NothingDetected => ExitCodes.NothingDetected,
            ReconcileStatus.RestartFailed => ExitCodes.TempFail,
            _ => ExitCodes.CannotWrite,
        };

        if (exit == ExitCodes.Success && outcome.KeptForSettings.Count > 0)
        {
            // The operator's setting is wrong for this node: done as far as it could be, but not what was asked.
            exit = ExitCodes.SettingLeftFamily;
            foreach (var keep in outcome.KeptForSettings)
            {
                stderr.WriteLine($"k0s-node-ip: --once: {keep.Setting} leaves {keep.Family.Name()} with no usable address on this node; {keep.Address} {(dryRun ? "would be" : "was")} kept in the target (exit {exit})");
            }

            return exit;
        }

        // A one-shot run that did not do its job ends with one error line saying what was left undone, whatever the log said.
        if (exit != ExitCodes.Success)
        {
            var undone = outcome.Status == ReconcileStatus.RestartFailed ? "the file was written, but the restart failed" : "nothing was written";
            stderr.WriteLine($"k0s-node-ip: --once: {undone}{(outcome.Error is { Length: > 0 } error ? ": " + error : string.Empty)} (exit {exit})");
        }

        return exit;
    }
}

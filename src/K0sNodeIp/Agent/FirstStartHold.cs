using K0sNodeIp.Apply;
using K0sNodeIp.Reload;
using K0sNodeIp.Targets;
using Microsoft.Extensions.Logging;

namespace K0sNodeIp.Agent;

/// <summary>The hold on k0s's first start (the package's guard), taken while no k0s unit is installed and released after.</summary>
internal sealed class FirstStartHold(StartHolds holds, INodeIpTarget target, UnitReloader reloader, ILogger logger)
{
    private bool _holding;

    /// <summary>
    /// While no k0s unit is installed, its first start is held (the shipped guard refuses it and wakes the agent), so a
    /// unit installed and started within the same second (k0sctl) first starts with the drop-in. Released as soon as the
    /// reconcile is anything else; a start refused meanwhile is then made (the target's own unit already was, after its
    /// write; a controller that runs no kubelet is started here).
    /// </summary>
    /// <param name="unit">The unit the target chose; null when there is none.</param>
    /// <param name="restartingForFolder">The agent is restarting itself for a drop-in folder: the holds stay for its next run.</param>
    public async Task UpdateAsync(ReconcileResult result, string? unit, bool restartingForFolder, CancellationToken cancellationToken)
    {
        if (result.Status == ReconcileStatus.UnitAbsent && result.UnitRole is K0sUnitRole.NotInstalled or K0sUnitRole.Configured)
        {
            if (!_holding && target.FirstStartUnits.Count > 0)
            {
                _holding = holds.Hold(target.FirstStartUnits);
                logger.LogInformation(_holding ? "holding the first start of {Units} until the drop-in is written for it" : "cannot hold the first start of {Units} (no {Folder})",
                    string.Join(", ", target.FirstStartUnits), holds.Folder);
            }

            return;
        }

        if (restartingForFolder)
        {
            return;
        }

        if (_holding)
        {
            _holding = false;
            foreach (var held in holds.ReleaseAll())
            {
                await StartIfRefusedAsync(held, $"{held}'s first start was held until k0s-node-ip had read its unit", cancellationToken);
            }
        }
        else if (result.UnitRole == K0sUnitRole.ControllerOnly && unit is { } controller)
        {
            // A start refused meanwhile (the hold released just after the guard read it, an agent restarted in between):
            // a controller with nothing to write is never left refused.
            await StartIfRefusedAsync(controller, $"{controller} runs no kubelet: nothing to write for it", cancellationToken);
        }
    }

    private async Task StartIfRefusedAsync(string unit, string why, CancellationToken cancellationToken)
    {
        if (await reloader.StatusAsync(unit, cancellationToken) is { StartRefusedByCondition: true })
        {
            await reloader.RequestAsync(new ReloadRequest(unit, true, why, Action: ReloadAction.DaemonReloadOnly), cancellationToken);
        }
    }
}

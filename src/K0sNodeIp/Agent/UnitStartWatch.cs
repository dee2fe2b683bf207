using K0sNodeIp.Reload;
using K0sNodeIp.Targets;
using Microsoft.Extensions.Logging;

namespace K0sNodeIp.Agent;

/// <summary>
/// After a restart this agent made: the unit is watched in the background until it is up or failed (bounded), and a
/// failure is a standing warning (journal, STATUS=, metrics) with the pair that was written. Nothing is restarted again:
/// the unit's Restart= decides. A later restart's watch supersedes an earlier one, so a failure is never counted twice.
/// </summary>
/// <param name="writtenNodeIp">The --node-ip the agent last wrote, named in the warning.</param>
/// <param name="healthChanged">The unit came up again after a failure (false) or failed (true): the warnings changed.</param>
internal sealed class UnitStartWatch(UnitReloader reloader, ReconcileWarnings warnings, INodeIpTarget target, Func<string?> writtenNodeIp, Action<bool> healthChanged, ILogger logger)
{
    private long _watches;

    /// <summary>Starts watching <paramref name="unit"/> without waiting: a restart queued at start runs only after READY=1.</summary>
    public void Watch(string unit) => _ = Task.Run(() => WatchAsync(unit));

    private async Task WatchAsync(string unit)
    {
        var watch = Interlocked.Increment(ref _watches);
        try
        {
            var failed = await reloader.WatchStartAsync(unit, CancellationToken.None);
            if (watch != Interlocked.Read(ref _watches))
            {
                // A later restart came within this one's settle time: what the unit does now is that restart's, and its
                // own watch reports it (once: a failure is never counted by two watches).
                return;
            }

            if (failed is null)
            {
                if (warnings.UnitRunsAgain(unit))
                {
                    healthChanged(false);
                }

                return;
            }

            var nodeIp = writtenNodeIp() ?? "(none)";
            warnings.UnitFailed(unit, $"{unit} failed after k0s-node-ip restarted it with --node-ip={nodeIp} ({target.Path}): "
                + $"{failed.ActiveState.ToString().ToLowerInvariant()} ({failed.SubState}, result {failed.Result}); its own Restart= decides what follows, k0s-node-ip restarts it no more");
            healthChanged(true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug("watching {Unit} after its restart failed: {Error}", unit, e.Message);
        }
    }
}

using K0sNodeIp.Apply;
using K0sNodeIp.Detection;
using K0sNodeIp.Node;
using K0sNodeIp.Reload;
using K0sNodeIp.Targets;
using Microsoft.Extensions.Logging;

namespace K0sNodeIp.Agent;

/// <summary>
/// The daemon's first reconcile waits (Watch:StartupWait) for a family the target expects before its first write, or
/// continues the grace an earlier run of this boot began for it; after the wait, a missing family is a standing warning.
/// </summary>
/// <param name="misses">The families an earlier run of the agent recorded missing in this boot.</param>
internal sealed class StartupFamilyWait(INodeIpTarget target, FamilyGrace? grace, Func<FamilyMissBook> misses, UnitReloader reloader, ReconcileWarnings warnings, ILogger logger)
{
    private bool _waitLogged;

    /// <summary>
    /// At start, before the first write: a family the target expects (the last boot's pair, k0s's dualStack) that is
    /// not there yet is waited for while the wait lasts (a result to return); once it is over, the family goes into
    /// its grace when the unit already runs with it (the agent was restarted), or is written without, with a warning,
    /// when the unit has yet to start (a boot: k0s waits for us). Null: go on with the reconcile.
    /// </summary>
    /// <param name="unit">The unit the target restarts; null when there is none.</param>
    public async Task<ReconcileResult?> WaitAsync(DetectionResult detected, StartupWait wait, string? unit, bool dryRun, CancellationToken cancellationToken)
    {
        var (decision, targetState) = (detected.Decision, detected.Snapshot.Target);
        // A family a setting leaves empty keeps the held address (SettingKeep): it is not missing, there is nothing to wait for.
        var kept = SettingKeep.For(detected).Select(k => k.Family).ToHashSet();
        var missing = target.ExpectedFamilies(targetState.Inputs).Where(f => decision.For(f).Chosen is null && !kept.Contains(f)).Order().ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var held = targetState.Held;
        if (grace is not null && !dryRun && ContinueRecordedGraces(missing, held) && missing.Count == 0)
        {
            return null;
        }

        var names = string.Join(" and ", missing.Select(f => f.Name()));
        var why = held is not null && missing.All(f => held.AddressOf(f) is not null)
            ? $"{target.Path} holds {string.Join(", ", missing.Select(f => held.AddressOf(f)))}"
            : "the target's config asks for dual-stack";
        if (!wait.Over)
        {
            if (!_waitLogged)
            {
                _waitLogged = true;
                logger.LogInformation("no {Families} address yet ({Why}); waiting up to {Wait} (Watch:StartupWait) before the first write", names, why, wait.Length);
            }

            return new ReconcileResult(ReconcileStatus.WaitingForFamily, null, Error: $"waiting up to {wait.Length} for {names} ({why}; Watch:StartupWait)");
        }

        if (held is not null && grace is not null && unit is not null && !dryRun && await reloader.IsActiveNowAsync(unit, cancellationToken) == true)
        {
            // The kubelet runs with the held pair: the vanished family gets its grace, from the file's content.
            grace.Seed(held);
            return null;
        }

        warnings.StartupIncomplete(missing.Count == 1 ? missing[0] : null, $"no {names} address within {wait.Length} of start (Watch:StartupWait; {why}): written without {names}");
        return null;
    }

    /// <summary>
    /// The families an earlier run of the agent found missing in this boot (a restart mid-grace) are known to be gone: no
    /// start-up wait for them, and a grace that began then continues, with the address the target still holds.
    /// </summary>
    /// <returns>True when a recorded family was taken out of <paramref name="missing"/>.</returns>
    private bool ContinueRecordedGraces(List<IpFamily> missing, NodeIpPair? held)
    {
        // Only a family the target still holds with the recorded address: otherwise the file changed since, and the start
        // goes as for a boot.
        var known = misses().Recorded.Where(m => missing.Contains(m.Family) && held?.AddressOf(m.Family) is { } address && address.Equals(m.Address)).ToList();
        foreach (var miss in known)
        {
            missing.Remove(miss.Family);
            grace!.Seed(held!);
            grace.Continue(miss.Family, miss.Address, miss.SinceTimestamp);
            logger.LogInformation("{Family} address {Address} has been missing since {Since:u}, as the agent's previous run in this boot recorded: no start-up wait for it, and its grace (Watch:FamilyGracePeriod) continues from then",
                miss.Family.Name(), miss.Address, miss.Since);
        }

        return known.Count > 0;
    }
}

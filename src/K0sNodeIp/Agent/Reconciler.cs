using K0sNodeIp.Detection;
using K0sNodeIp.Reload;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;
using Microsoft.Extensions.Logging;

namespace K0sNodeIp.Agent;

/// <summary>
/// One reconcile, shared by --once and the daemon: detect, decide, render the target, write it only when
/// the content changed, then have the unit restarted. A failed detection or write leaves the file as it was.
/// </summary>
public sealed class Reconciler(
    NodeIpDetector detector,
    INodeIpTarget target,
    IpFamily? configuredPrimaryFamily,
    UnitReloader reloader,
    string? unit,
    FamilyGrace? grace,
    ILogger logger)
{
    private long _detections;

    /// <summary>Detections run so far (the watcher's filtering is measured by it).</summary>
    public long Detections => Interlocked.Read(ref _detections);

    public INodeIpTarget Target => target;

    /// <param name="starting">The daemon's first reconcile, before READY=1: restarts are queued, not awaited.</param>
    public async Task<ReconcileResult> ReconcileAsync(string trigger, bool dryRun, CancellationToken cancellationToken, bool starting = false)
    {
        var number = Interlocked.Increment(ref _detections);
        DetectionResult detected;
        try
        {
            detected = await detector.DetectAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            logger.LogWarning("detection #{Number} ({Trigger}) failed: {Error}; keeping {Path} as it is", number, trigger, e.Message, target.Path);
            return new ReconcileResult(ReconcileStatus.Failed, null, Error: e.Message);
        }

        var decision = detected.Decision;
        var lookup = detected.Snapshot.Lookup;
        if (lookup.Faulted)
        {
            logger.LogWarning("hostname lookup ({Method}) of {Hostname} failed: {Error}; the other sources decide", lookup.Method, detected.Snapshot.Hostname, lookup.Error);
        }

        var notes = new List<string>();
        try
        {
            var primary = configuredPrimaryFamily ?? target.DefaultPrimaryFamily();
            var pair = new NodeIpPair(decision.Ipv4, decision.Ipv6, primary);
            DateTimeOffset? recheckAt = null;
            if (grace is not null)
            {
                pair = grace.Apply(pair, notes, out recheckAt);
            }

            foreach (var note in notes)
            {
                logger.LogWarning("{Note}", note);
            }

            if (pair.IsEmpty)
            {
                var why = string.Join("; ", decision.Ipv4Decision.Notes.Concat(decision.Ipv6Decision.Notes));
                logger.LogWarning("detection #{Number} ({Trigger}) found no address ({Why}); keeping {Path} as it is", number, trigger, why, target.Path);
                return new ReconcileResult(ReconcileStatus.NothingDetected, null, Error: why);
            }

            logger.LogInformation("detection #{Number} ({Trigger}): {Pair}", number, trigger, pair);
            var current = AtomicFileWriter.ReadCurrent(target.Path);
            var content = target.Render(pair, current);
            if (content == current)
            {
                return new ReconcileResult(ReconcileStatus.Unchanged, pair, RecheckAt: recheckAt);
            }

            var change = $"node IP {target.NodeIpOf(current) ?? "(none)"} -> {pair} in {target.Path}";
            if (dryRun)
            {
                logger.LogInformation("dry run: would change {Change}", change);
                return new ReconcileResult(ReconcileStatus.Changed, pair, LineDiff.Render(target.Path, current, content), RecheckAt: recheckAt);
            }

            AtomicFileWriter.WriteIfChanged(target.Path, content, createDirectory: target.IsUnitDropIn);
            if (unit is null)
            {
                logger.LogInformation("{Change}; no unit to restart", change);
            }
            else
            {
                await reloader.RequestAsync(new ReloadRequest(unit, target.IsUnitDropIn, change, WaitForJob: !starting), cancellationToken);
            }

            return new ReconcileResult(ReconcileStatus.Changed, pair, RecheckAt: recheckAt);
        }
        catch (TargetException e)
        {
            logger.LogError("cannot update {Target}: {Error}; the file is left as it was", target.Description, e.Message);
            return new ReconcileResult(ReconcileStatus.Failed, null, Error: e.Message);
        }
    }
}

using K0sNodeIp.Configuration;
using K0sNodeIp.Detection;
using K0sNodeIp.Node;
using K0sNodeIp.Report;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Modes;

/// <summary>
/// <c>k0s-node-ip --check [--json]</c>: detection now vs the target file vs the running kubelet, exiting as a
/// monitoring plugin does (0 agree, 1 differ, 3 cannot tell). It writes no target and restarts nothing; the
/// metrics file (Metrics:TextfilePath) is the only file it may write.
/// </summary>
internal sealed class CheckMode(K0sNodeIpOptions options, bool json, string procRoot = "/proc") : IMode
{
    public int Run(TextWriter stdout, TextWriter stderr)
    {
        var target = Composition.CreateTarget(options);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        NodeIpPair? pair = null;
        StaticKubeletOutlook? upgrade = null;
        string? whyNoPair = null;
        TargetInputs? inputs = null;
        DetectionResult? detected = null;
        try
        {
            detected = Composition.CreateDetector(options, target).DetectAsync(CancellationToken.None).GetAwaiter().GetResult();
            inputs = detected.Snapshot.Target.Inputs;
            var desired = DesiredPair.Compute(detected, options.Detection.ConfiguredPrimaryFamily, target, grace: null);
            pair = desired.Pair;
            upgrade = desired.StaticKubelet;
        }
        catch (Formats.TargetException e)
        {
            // The target's own rule (its unit's command line, its config) cannot order what detection found.
            whyNoPair = detected?.Decision.HasAddress == true
                ? $"the pair cannot be ordered for {target.Description}: {e.Message}"
                : $"detection found no address, and the rule of {target.Description} cannot be read either: {e.Message}";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            whyNoPair = $"detection failed: {e.Message}";
        }

        var duration = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        // A detection that failed read no inputs: the read stage reads the target alone, so the report still says what it holds.
        inputs ??= TargetFileReader.Read(target).Inputs;
        var report = Composition.CreateDriftCheck(options, target, procRoot).Compare(pair, inputs, whyNoPair) with { StaticKubelet = upgrade };

        if (options.Metrics.EffectiveTextfilePath() is { } metrics)
        {
            using var loggers = Composition.CreateLoggers(toStandardError: true);
            Composition.CreateMetrics(metrics, drift: null, TimeProvider.System, loggers).AfterCheck(report, pair, duration);
        }

        stdout.Write(json ? CheckReport.RenderJson(report) + Environment.NewLine : CheckReport.RenderText(report));
        return report.ExitCode;
    }
}

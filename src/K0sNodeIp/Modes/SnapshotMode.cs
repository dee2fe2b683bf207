using K0sNodeIp.Capture;
using K0sNodeIp.Configuration;
using K0sNodeIp.Detection;
using K0sNodeIp.Formats;
using K0sNodeIp.Report;

namespace K0sNodeIp.Modes;

/// <summary>
/// --snapshot: one detection with every source recorded, written as one JSON file with what --print made of it, for a
/// bug report or for --print --from-snapshot on another machine. Writes nothing else and restarts nothing.
/// </summary>
/// <param name="withTargetFiles">--with-target-files: the target's input files are recorded whole.</param>
internal sealed class SnapshotMode(K0sNodeIpOptions options, string path, bool withTargetFiles = false) : IMode
{
    public int Run(TextWriter stdout, TextWriter stderr)
    {
        var recorder = Composition.CreateRecorder();
        var nodeIpTarget = Composition.CreateTarget(options);
        var detected = Composition.CreateDetector(options, nodeIpTarget, recorder).DetectAsync(CancellationToken.None).GetAwaiter().GetResult();
        var target = SnapshotCapture.DescribeTarget(options.Target.Kind, nodeIpTarget, detected.Snapshot.Target, withTargetFiles);

        // --print's answer from this same detection, with the target's rule as recorded (so a replay asks the same).
        string? printed = null;
        string? printedText = null;
        string? printError = null;
        string? flag = null;
        try
        {
            var desired = DesiredPair.Compute(detected, options.Detection.ConfiguredPrimaryFamily, target.PrimaryFamilyChoice, grace: null);
            printed = JsonReport.Render(desired);
            printedText = TextReport.Render(desired);
            flag = desired.Pair.IsEmpty ? null : desired.Pair.Flag;
        }
        catch (TargetException e)
        {
            printError = e.Message;
        }

        var document = SnapshotCapture.Build(recorder, detected.Snapshot, options, target, printed, printedText, printError, DateTimeOffset.UtcNow);
        var text = SnapshotFile.Serialize(document);
        try
        {
            SnapshotOutput.Write(path, text, stdout);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"k0s-node-ip: cannot write the snapshot to {path}: {e.Message}");
            return ExitCodes.CannotWrite;
        }

        var outcome = printError is not null ? $"--print failed there: {printError}"
            : flag is not null ? $"--print gives {flag}"
            : "--print found no address";
        var where = path is "-" or "/dev/stdout" ? "standard output" : path;
        stderr.WriteLine($"k0s-node-ip: snapshot of {detected.Snapshot.Hostname} written to {where} ({outcome}); attach it to a bug report, or replay it with --print --from-snapshot FILE");
        return ExitCodes.Success;
    }
}

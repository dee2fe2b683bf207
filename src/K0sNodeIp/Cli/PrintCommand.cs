using K0sNodeIp.Agent;
using K0sNodeIp.Capture;
using K0sNodeIp.Configuration;
using K0sNodeIp.Detection;
using K0sNodeIp.Node;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Cli;

/// <summary>
/// --print: the pair --once would write (the same detection, overrides and target order rule, <see cref="DesiredPair"/>)
/// and why, from this node or, with --from-snapshot, from a node recorded by --snapshot.
/// </summary>
internal static class PrintCommand
{
    public static int Live(K0sNodeIpOptions options, bool json, TextWriter stdout, TextWriter stderr)
    {
        var detected = AgentHost.CreateDetector(options).DetectAsync(CancellationToken.None).GetAwaiter().GetResult();
        return Render(detected, options.Detection.ConfiguredPrimaryFamily, TargetFactory.Create(options.Target).DefaultPrimaryFamily, json, stdout, stderr);
    }

    /// <summary>
    /// The same decision from a --snapshot file, on any machine: only the file is read (no configuration file, no
    /// environment, no network). <paramref name="settings"/> (--Section:Key=value) change the recorded options.
    /// </summary>
    public static int Replay(string path, IReadOnlyList<string> settings, bool json, TextWriter stdout, TextWriter stderr, TextReader? standardInput = null)
    {
        SnapshotDocument document;
        try
        {
            document = SnapshotFile.Read(path, standardInput);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            stderr.WriteLine($"k0s-node-ip: --from-snapshot: {path} does not exist");
            return ExitCodes.NoInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"k0s-node-ip: --from-snapshot: cannot read {path}: {e.Message}");
            return ExitCodes.NoInput;
        }
        catch (SnapshotException e)
        {
            stderr.WriteLine($"k0s-node-ip: --from-snapshot: {e.Message}");
            return ExitCodes.DataError;
        }

        K0sNodeIpOptions options;
        try
        {
            options = OptionsLoader.LoadRecorded(document.Options, settings);
        }
        catch (ConfigurationException e)
        {
            stderr.WriteLine($"k0s-node-ip: bad configuration (recorded in {path}, or given with it): {e.Message}");
            return ExitCodes.Config;
        }

        try
        {
            var node = new RecordedNode(document, options.Detection);
            var detected = node.CreateDetector().DetectAsync(CancellationToken.None).GetAwaiter().GetResult();
            return Render(detected, options.Detection.ConfiguredPrimaryFamily, node.TargetPrimaryFamily, json, stdout, stderr);
        }
        catch (SnapshotException e)
        {
            stderr.WriteLine($"k0s-node-ip: --from-snapshot: {path}: {e.Message}");
            return ExitCodes.DataError;
        }
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

using System.CommandLine;
using K0sNodeIp.Cli;
using K0sNodeIp.Configuration;
using K0sNodeIp.Formats;
using K0sNodeIp.Report;

namespace K0sNodeIp.Modes;

/// <summary>The program: the command line parsed (Cli), the configuration loaded, then the one mode asked for.</summary>
internal static class K0sNodeIpApp
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // Outside text (a snapshot, files, DNS, interface names) is quoted in both: escaped here, once for all of it.
        stdout = OutsideText.Writer(stdout, keepLineBreaks: true);
        stderr = OutsideText.Writer(stderr, keepLineBreaks: false);
        var (request, errors, unknownTokens) = CommandLine.Parse(args);
        if (request is null)
        {
            foreach (var error in errors)
            {
                stderr.WriteLine($"k0s-node-ip: {error}");
            }

            if (unknownTokens)
            {
                stderr.WriteLine("Settings are --Section:Key=value (e.g. --Detection:PrimaryFamily=IPv6). Try 'k0s-node-ip --help'.");
            }

            return ExitCodes.Usage;
        }

        switch (request.Mode)
        {
            case RequestedMode.Version:
                stdout.WriteLine(ProgramInfo.VersionLine);
                return ExitCodes.Success;
            case RequestedMode.SignalDaemon:
                return new SignalDaemonMode().Run(stdout, stderr);
            case RequestedMode.Help:
                // --help is answered by System.CommandLine itself.
                return request.Parsed!.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
            case RequestedMode.Replay:
                // A replay reads the recorded settings, not this machine's configuration.
                return new ReplayMode(request.SnapshotPath!, request.Settings, request.Json).Run(stdout, stderr);
        }

        K0sNodeIpOptions options;
        try
        {
            options = OptionsLoader.Load(request.ConfigPath, request.Settings);
        }
        catch (ConfigurationException e)
        {
            stderr.WriteLine($"k0s-node-ip: bad configuration: {e.Message}");
            return ExitCodes.Config;
        }

        IMode mode = request.Mode switch
        {
            RequestedMode.Check => new CheckMode(options, request.Json),
            RequestedMode.Snapshot => new SnapshotMode(options, request.SnapshotPath!, request.WithTargetFiles),
            RequestedMode.Once => new OnceMode(options, request.DryRun),
            RequestedMode.Print => new PrintMode(options, request.Json),
            _ => new DaemonMode(options, request.DryRun),
        };
        return mode.Run(stdout, stderr);
    }
}

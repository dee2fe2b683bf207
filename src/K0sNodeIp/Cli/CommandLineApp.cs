using System.CommandLine;
using System.CommandLine.Help;
using K0sNodeIp.Agent;
using K0sNodeIp.Configuration;
using K0sNodeIp.Modes;
using K0sNodeIp.Report;

namespace K0sNodeIp.Cli;

/// <summary>The command line: parses it, loads the configuration, and runs the chosen mode.</summary>
internal static class CommandLineApp
{
    private const string Examples = """
        Detects the node's IPv4/IPv6 pair as kubelet would (hostname lookup, then the default-route
        interface, per family) and keeps kubelet's --node-ip in step with it.

        Without --print or --once it runs as a daemon: it writes the target (Target:Kind k0s, kubeadm or
        file), restarts the kubelet's unit when the pair changes, and follows the kernel's address changes.

        Examples:
          k0s-node-ip                                  run the agent (as the k0s-node-ip.service unit does)
          k0s-node-ip --once --dry-run                 show the change the agent would make now
          k0s-node-ip --print                          show the pair and why each address was taken
          k0s-node-ip --print --json                   the same as one JSON object
          k0s-node-ip --check [--json]                 detection vs target file vs running kubelet (0 agree, 1 differ, 3 unknown)
          k0s-node-ip --snapshot node1.json            record what detection reads, for a bug report
          k0s-node-ip --print --from-snapshot node1.json
                                                       the same decision from that file, on any machine
          k0s-node-ip --print --Detection:PrimaryFamily=IPv6
          K0SNODEIP_Detection__Interface=eth1 k0s-node-ip --print

        Settings come from --config (default /etc/k0s-node-ip/config.json), then K0SNODEIP_ environment
        variables (Section__Key), then --Section:Key=value arguments. Exit codes: 0 found (--once:
        changed or unchanged), 1 nothing found, 2 bad usage, 65 the snapshot cannot answer (not one
        this version replays, or it does not record what was asked), 66 snapshot file missing or
        unreadable, 74 target not readable or writable, 75 written but the unit's restart failed,
        78 bad configuration.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var print = new Option<bool>("--print") { Description = "Detect once, write nothing, and explain the choice." };
        var once = new Option<bool>("--once") { Description = "Detect, write the target and restart the unit if needed, then exit." };
        var dryRun = new Option<bool>("--dry-run") { Description = "With --once or the daemon: show the diff that would be written; write and restart nothing." };
        var json = new Option<bool>("--json") { Description = "With --print or --check: one JSON object instead of text." };
        var config = new Option<string?>("--config") { Description = $"Configuration file. The default, {OptionsLoader.DefaultConfigPath}, may be absent; a file named here must exist." };
        var version = new Option<bool>("--version") { Description = "Show the version." };
        var check = new Option<bool>("--check") { Description = "Compare detection, the target file and the running kubelet's --node-ip; write and restart nothing. Exit 0 agree, 1 differ, 3 cannot tell." };
        var reload = new Option<bool>("--reload") { Description = "For the unit's ExecReload=: ask the running daemon ($MAINPID) to detect again now." };
        var snapshot = new Option<string?>("--snapshot") { Description = "Detect once with every input recorded, and write them with the result as one JSON file (PATH, or - for standard output). Writes nothing else.", HelpName = "PATH" };
        var fromSnapshot = new Option<string?>("--from-snapshot") { Description = "With --print: decide from a --snapshot file (- for standard input) instead of this machine; reads nothing else.", HelpName = "PATH" };
        var root = new RootCommand(Examples) { print, once, dryRun, json, config, reload, check, snapshot, fromSnapshot };

        // The built-in --version reports the entry assembly, which is not ours when hosted in tests.
        foreach (var builtIn in root.Options.OfType<VersionOption>().ToList())
        {
            root.Options.Remove(builtIn);
        }

        root.Options.Add(version);

        // --Section:Key=value settings go to the configuration; only the rest is the command line proper, so an
        // unknown option is an error and --help shows no catch-all "additional arguments".
        var (commandLine, settings) = SplitSettings(args);
        var parse = root.Parse(commandLine);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"k0s-node-ip: {error.Message}");
            }

            stderr.WriteLine("Settings are --Section:Key=value (e.g. --Detection:PrimaryFamily=IPv6). Try 'k0s-node-ip --help'.");
            return ExitCodes.Usage;
        }

        if (parse.GetValue(version))
        {
            stdout.WriteLine(ProgramInfo.VersionLine);
            return ExitCodes.Success;
        }

        if (parse.GetValue(reload))
        {
            return SignalDaemon(stderr);
        }

        // --help is answered by System.CommandLine itself.
        if (parse.Action is HelpAction)
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        }

        if (parse.GetValue(fromSnapshot) is "" || parse.GetValue(snapshot) is "")
        {
            stderr.WriteLine("k0s-node-ip: --snapshot and --from-snapshot need a file name (or - for standard output or input)");
            return ExitCodes.Usage;
        }

        if (parse.GetValue(fromSnapshot) is { } replayed)
        {
            var conflict = !parse.GetValue(print) ? "it needs --print"
                : parse.GetValue(once) || parse.GetValue(dryRun) || parse.GetValue(check) || parse.GetValue(snapshot) is not null ? "it goes with --print [--json] only, not --once, --dry-run, --check or --snapshot"
                : parse.GetValue(config) is not null ? "it replays the recorded settings and reads no --config (change them with --Section:Key=value)"
                : null;
            if (conflict is not null)
            {
                stderr.WriteLine($"k0s-node-ip: --from-snapshot: {conflict}");
                return ExitCodes.Usage;
            }

            return PrintMode.Replay(replayed, settings, parse.GetValue(json), stdout, stderr);
        }

        if (parse.GetValue(snapshot) is not null && (parse.GetValue(print) || parse.GetValue(once) || parse.GetValue(dryRun) || parse.GetValue(check) || parse.GetValue(json)))
        {
            stderr.WriteLine("k0s-node-ip: --snapshot writes its own JSON file; it does not combine with --print, --json, --once, --dry-run or --check");
            return ExitCodes.Usage;
        }

        // Alone, --json would start the daemon: a flag that means nothing without --print or --check is a usage error.
        if (parse.GetValue(json) && !parse.GetValue(print) && !parse.GetValue(check))
        {
            stderr.WriteLine("k0s-node-ip: --json goes with --print or --check");
            return ExitCodes.Usage;
        }

        K0sNodeIpOptions options;
        try
        {
            options = OptionsLoader.Load(parse.GetValue(config), settings);
        }
        catch (ConfigurationException e)
        {
            stderr.WriteLine($"k0s-node-ip: bad configuration: {e.Message}");
            return ExitCodes.Config;
        }

        if (parse.GetValue(print) && (parse.GetValue(once) || parse.GetValue(dryRun)))
        {
            stderr.WriteLine("k0s-node-ip: --print writes nothing; it does not combine with --once or --dry-run");
            return ExitCodes.Usage;
        }

        if (parse.GetValue(check))
        {
            if (parse.GetValue(print) || parse.GetValue(once) || parse.GetValue(dryRun))
            {
                stderr.WriteLine("k0s-node-ip: --check does not combine with --print, --once or --dry-run");
                return ExitCodes.Usage;
            }

            return CheckMode.Run(options, parse.GetValue(json), stdout, stderr);
        }

        if (parse.GetValue(snapshot) is { } snapshotPath)
        {
            return SnapshotMode.Run(options, snapshotPath, stdout, stderr);
        }

        if (parse.GetValue(once))
        {
            var outcome = Composition.RunOnceAsync(options, parse.GetValue(dryRun), CancellationToken.None).GetAwaiter().GetResult();
            if (outcome.Diff is not null && parse.GetValue(dryRun))
            {
                stdout.Write(outcome.Diff);
            }

            return outcome.Status switch
            {
                ReconcileStatus.Changed or ReconcileStatus.Unchanged => ExitCodes.Success,
                ReconcileStatus.NothingDetected => ExitCodes.NothingDetected,
                ReconcileStatus.RestartFailed => ExitCodes.TempFail,
                _ => ExitCodes.CannotWrite,
            };
        }

        if (!parse.GetValue(print))
        {
            return Composition.RunDaemonAsync(options, parse.GetValue(dryRun)).GetAwaiter().GetResult();
        }

        return PrintMode.Live(options, parse.GetValue(json), stdout, stderr);
    }

    /// <summary>
    /// systemctl reload: SIGHUP to the daemon, whose PID systemd passes as $MAINPID to ExecReload=. Done here, not
    /// with /bin/kill, because kill comes from procps, which a minimal system does not have.
    /// </summary>
    private static int SignalDaemon(TextWriter stderr)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("MAINPID"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) || pid <= 1)
        {
            stderr.WriteLine("k0s-node-ip: --reload needs $MAINPID, the daemon's PID (systemd sets it for ExecReload=)");
            return ExitCodes.Usage;
        }

        if (Native.Libc.kill(pid, Native.Libc.SigHup) != 0)
        {
            stderr.WriteLine($"k0s-node-ip: cannot signal the daemon (PID {pid}): {new System.ComponentModel.Win32Exception(System.Runtime.InteropServices.Marshal.GetLastPInvokeError()).Message}");
            return ExitCodes.NothingDetected;
        }

        return ExitCodes.Success;
    }

    /// <summary>Separates --Section:Key=value (or "--Section:Key value") settings from the command line's own options.</summary>
    internal static (string[] CommandLine, string[] Settings) SplitSettings(IReadOnlyList<string> args)
    {
        var commandLine = new List<string>();
        var settings = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            var key = token.TrimStart('-').Split('=')[0];
            if (token.StartsWith('-') && key.Contains(':', StringComparison.Ordinal))
            {
                settings.Add(token);
                if (!token.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count && !args[i + 1].StartsWith('-'))
                {
                    settings.Add(args[++i]);
                }
            }
            else
            {
                commandLine.Add(token);
            }
        }

        return (commandLine.ToArray(), settings.ToArray());
    }
}

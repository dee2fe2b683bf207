using System.CommandLine;
using System.CommandLine.Help;
using K0sNodeIp.Configuration;

namespace K0sNodeIp.Cli;

/// <summary>What the command line asks for; the modes act on it.</summary>
internal enum RequestedMode
{
    Daemon,
    Once,
    Print,
    Replay,
    Check,
    Snapshot,
    SignalDaemon,
    Version,
    Help,
}

/// <summary>The parsed command line: the mode, its flags, and the --Section:Key=value settings.</summary>
internal sealed record CommandLineRequest(RequestedMode Mode, IReadOnlyList<string> Settings)
{
    public bool DryRun { get; init; }

    public bool Json { get; init; }

    public string? ConfigPath { get; init; }

    /// <summary>--snapshot's output, or --from-snapshot's input.</summary>
    public string? SnapshotPath { get; init; }

    /// <summary>--with-target-files: the snapshot records the target's input files whole.</summary>
    public bool WithTargetFiles { get; init; }

    /// <summary>For <see cref="RequestedMode.Help"/>: System.CommandLine writes the help itself.</summary>
    internal ParseResult? Parsed { get; init; }
}

/// <summary>
/// The command line, parsed and nothing more: which mode, with which flags. Flags that do not go together are
/// System.CommandLine validation errors, reported before any configuration is read.
/// </summary>
internal static class CommandLine
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
        changed or unchanged), 1 nothing found, 2 bad usage, 4 (--once) a setting left a family the
        target holds with no address (kept), 65 the snapshot cannot answer (not one
        this version replays, or it does not record what was asked), 66 snapshot file missing or
        unreadable, 74 target not readable or writable, 75 written but the unit's restart failed,
        78 bad configuration.
        """;

    private static readonly Option<bool> Print = new("--print") { Description = "Detect once, write nothing, and explain the choice." };
    private static readonly Option<bool> Once = new("--once") { Description = "Detect, write the target and restart the unit if needed, then exit." };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "With --once or the daemon: show the diff that would be written; write and restart nothing." };
    private static readonly Option<bool> Json = new("--json") { Description = "With --print or --check: one JSON object instead of text." };
    private static readonly Option<string?> Config = new("--config") { Description = $"Configuration file. The default, {OptionsLoader.DefaultConfigPath}, may be absent; a file named here must exist." };
    private static readonly Option<bool> Version = new("--version") { Description = "Show the version." };
    private static readonly Option<bool> Check = new("--check") { Description = "Compare detection, the target file and the running kubelet's --node-ip; write and restart nothing. Exit 0 agree, 1 differ, 3 cannot tell." };
    private static readonly Option<bool> Reload = new("--reload") { Description = "For the unit's ExecReload=: ask the running daemon ($MAINPID) to detect again now." };
    private static readonly Option<string?> Snapshot = new("--snapshot") { Description = "Detect once with every input recorded, and write them with the result as one JSON file (PATH, or - for standard output). Writes nothing else.", HelpName = "PATH" };
    private static readonly Option<bool> WithTargetFiles = new("--with-target-files") { Description = "With --snapshot: also record the files read for the target whole (its own file, the unit and its drop-ins, the k0s config; on kubeadm nodes also the kubelet unit, its drop-ins and EnvironmentFile= files), so a replay derives the target's answers from them. They may hold credentials: read the snapshot before you share it." };
    private static readonly Option<string?> FromSnapshot = new("--from-snapshot") { Description = "With --print: decide from a --snapshot file (- for standard input) instead of this machine; reads nothing else.", HelpName = "PATH" };

    /// <summary>The request, or the usage errors (each a sentence naming the flags at fault).</summary>
    public static (CommandLineRequest? Request, IReadOnlyList<string> Errors, bool UnknownTokens) Parse(IReadOnlyList<string> args)
    {
        // --Section:Key=value settings go to the configuration; only the rest is the command line proper, so an
        // unknown option is an error and --help shows no catch-all "additional arguments".
        var (commandLine, settings) = SplitSettings(args);
        var parse = Root().Parse(commandLine);
        if (parse.Errors.Count > 0)
        {
            // The validator's error names flags of ours; any other is a token the command line does not know.
            var conflict = Conflict(parse.CommandResult);
            return (null, [.. parse.Errors.Select(e => e.Message)], parse.Errors.Any(e => e.Message != conflict));
        }

        var request = new CommandLineRequest(ModeOf(parse), settings)
        {
            DryRun = parse.GetValue(DryRun),
            Json = parse.GetValue(Json),
            ConfigPath = parse.GetValue(Config),
            SnapshotPath = parse.GetValue(FromSnapshot) ?? parse.GetValue(Snapshot),
            WithTargetFiles = parse.GetValue(WithTargetFiles),
            Parsed = parse,
        };
        return (request, [], false);
    }

    private static RequestedMode ModeOf(ParseResult parse) =>
        parse.GetValue(Version) ? RequestedMode.Version
        : parse.GetValue(Reload) ? RequestedMode.SignalDaemon
        : parse.Action is HelpAction ? RequestedMode.Help
        : parse.GetValue(FromSnapshot) is not null ? RequestedMode.Replay
        : parse.GetValue(Snapshot) is not null ? RequestedMode.Snapshot
        : parse.GetValue(Check) ? RequestedMode.Check
        : parse.GetValue(Once) ? RequestedMode.Once
        : parse.GetValue(Print) ? RequestedMode.Print
        : RequestedMode.Daemon;

    private static RootCommand Root()
    {
        var root = new RootCommand(Examples) { Print, Once, DryRun, Json, Config, Reload, Check, Snapshot, WithTargetFiles, FromSnapshot };

        // The built-in --version reports the entry assembly, which is not ours when hosted in tests.
        foreach (var builtIn in root.Options.OfType<VersionOption>().ToList())
        {
            root.Options.Remove(builtIn);
        }

        root.Options.Add(Version);
        root.Validators.Add(result =>
        {
            if (Conflict(result) is { } message)
            {
                result.AddError(message);
            }
        });
        return root;
    }

    /// <summary>Which flags do not go together, in the words the operator sees.</summary>
    private static string? Conflict(System.CommandLine.Parsing.CommandResult result)
    {
        if (result.GetValue(Version) || result.GetValue(Reload))
        {
            return null;
        }

        var (print, once, dryRun, json, check) = (result.GetValue(Print), result.GetValue(Once), result.GetValue(DryRun), result.GetValue(Json), result.GetValue(Check));
        var (snapshot, fromSnapshot) = (result.GetValue(Snapshot), result.GetValue(FromSnapshot));
        if (fromSnapshot is "" || snapshot is "")
        {
            return "--snapshot and --from-snapshot need a file name (or - for standard output or input)";
        }

        if (result.GetValue(WithTargetFiles) && snapshot is null)
        {
            return "--with-target-files goes with --snapshot only";
        }

        if (fromSnapshot is not null)
        {
            var conflict = !print ? "it needs --print"
                : once || dryRun || check || snapshot is not null ? "it goes with --print [--json] only, not --once, --dry-run, --check or --snapshot"
                : result.GetValue(Config) is not null ? "it replays the recorded settings and reads no --config (change them with --Section:Key=value)"
                : null;
            return conflict is null ? null : $"--from-snapshot: {conflict}";
        }

        if (snapshot is not null && (print || once || dryRun || check || json))
        {
            return "--snapshot writes its own JSON file; it does not combine with --print, --json, --once, --dry-run or --check";
        }

        // Alone, --json would start the daemon: a flag that means nothing without --print or --check is a usage error.
        if (json && !print && !check)
        {
            return "--json goes with --print or --check";
        }

        if (print && (once || dryRun))
        {
            return "--print writes nothing; it does not combine with --once or --dry-run";
        }

        return check && (print || once || dryRun) ? "--check does not combine with --print, --once or --dry-run" : null;
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

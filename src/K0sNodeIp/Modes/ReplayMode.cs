using K0sNodeIp.Capture;
using K0sNodeIp.Configuration;
using K0sNodeIp.Report;
using Microsoft.Extensions.Configuration;

namespace K0sNodeIp.Modes;

/// <summary>
/// --print --from-snapshot: the same decision from a --snapshot file, on any machine: only the file is read (no
/// configuration file, no environment, no network). <paramref name="settings"/> (--Section:Key=value) change the
/// recorded options.
/// </summary>
internal sealed class ReplayMode(string path, IReadOnlyList<string> settings, bool json, TextReader? standardInput = null) : IMode
{
    public int Run(TextWriter stdout, TextWriter stderr)
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
            stderr.WriteLine($"k0s-node-ip: --from-snapshot: cannot read {path}: {(Directory.Exists(path) ? "it is a folder" : e.Message)}");
            return ExitCodes.NoInput;
        }
        catch (SnapshotException e)
        {
            stderr.WriteLine($"k0s-node-ip: --from-snapshot: {e.Message}");
            return ExitCodes.DataError;
        }

        K0sNodeIpOptions options;
        IReadOnlyDictionary<string, string?> recorded;
        try
        {
            recorded = EffectiveSettings.Of(OptionsLoader.LoadRecorded(document.Options, []));

            // Before the settings are applied: a Target:* change is refused as such (exit 2), not as the invalid
            // configuration it may make (--Target:Kind=file without a Target:Path).
            if (ChangedTargetSetting(recorded, settings) is { } targetKey)
            {
                stderr.WriteLine($"k0s-node-ip: --from-snapshot: {targetKey} cannot change in a replay: the target's files and its family rule were read on the node with it, and the snapshot holds only the answer; take a new --snapshot on the node with it");
                return ExitCodes.Usage;
            }

            options = OptionsLoader.LoadRecorded(document.Options, settings);
        }
        catch (ConfigurationException e)
        {
            stderr.WriteLine($"k0s-node-ip: bad configuration (recorded in {path}, or given with it): {e.Message}");
            return ExitCodes.Config;
        }

        if (recorded.GetValueOrDefault("Target:Kind") != document.Target.Kind)
        {
            // The options were edited in the file: the recorded target answers belong to the kind the node ran.
            stderr.WriteLine($"k0s-node-ip: --from-snapshot: {path}: options Target:Kind is \"{recorded.GetValueOrDefault("Target:Kind")}\" but target.kind records \"{document.Target.Kind}\"; the target's answers were recorded for the latter");
            return ExitCodes.DataError;
        }

        if (AnsweredOnTheNode(recorded, EffectiveSettings.Of(options)) is { } fixedKey)
        {
            var answered = Settings.AnswerOf(fixedKey) == RecordedAnswer.TargetFiles
                ? "the target's files and its family rule were read on the node with it"
                : "the hostname lookup was made on the node with it";
            stderr.WriteLine($"k0s-node-ip: --from-snapshot: {fixedKey} cannot change in a replay: {answered}, and the snapshot holds only the answer; take a new --snapshot on the node with it");
            return ExitCodes.Usage;
        }

        if (document.TakenBy != $"k0s-node-ip {ProgramInfo.Version}")
        {
            // The decision is this version's; the recorded options keep the defaults of the one that wrote the file.
            stderr.WriteLine($"k0s-node-ip: note: {path} was written by {(document.TakenBy.Length > 0 ? document.TakenBy : "an unknown version")}; this is k0s-node-ip {ProgramInfo.Version}");
        }

        try
        {
            var node = Composition.CreateRecordedNode(document, options);
            var detected = Composition.CreateDetector(node, options).DetectAsync(CancellationToken.None).GetAwaiter().GetResult();
            return PrintMode.Render(detected, options.Detection.ConfiguredPrimaryFamily, node.TargetPrimaryFamily, json, stdout, stderr);
        }
        catch (SnapshotException e)
        {
            stderr.WriteLine($"k0s-node-ip: --from-snapshot: {path}: {e.Message}");
            return ExitCodes.DataError;
        }
    }

    /// <summary>The first setting the target's recorded files were read with that <paramref name="settings"/> (--Section:Key=value) set to another value than recorded.</summary>
    private static string? ChangedTargetSetting(IReadOnlyDictionary<string, string?> recorded, IReadOnlyList<string> settings)
    {
        var given = new ConfigurationBuilder().AddCommandLine(settings.ToArray()).Build();
        return given.AsEnumerable()
            .Where(s => s.Value is not null)
            .Select(s => (Key: recorded.Keys.FirstOrDefault(k => string.Equals(k, s.Key, StringComparison.OrdinalIgnoreCase)) ?? s.Key, s.Value))
            .Where(s => Settings.AnswerOf(s.Key) == RecordedAnswer.TargetFiles)
            .Where(s => recorded.GetValueOrDefault(s.Key) != s.Value)
            .Select(s => s.Key)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>
    /// The settings whose effect the snapshot holds as an answer (a lookup made with them, the target's rule read
    /// with them): a replay cannot apply a change to them, so it refuses it rather than print the recorded answer.
    /// </summary>
    private static string? AnsweredOnTheNode(IReadOnlyDictionary<string, string?> recorded, IReadOnlyDictionary<string, string?> replayed)
    {
        return replayed.Keys.Union(recorded.Keys)
            .Where(Settings.IsAnsweredOnTheNode)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault(key => recorded.GetValueOrDefault(key) != replayed.GetValueOrDefault(key));
    }
}

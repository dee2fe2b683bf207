using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace K0sNodeIp.Configuration;

/// <summary>
/// Builds the options from, lowest priority first: the JSON file, <c>K0SNODEIP_</c> environment
/// variables (<c>K0SNODEIP_Detection__StaticIPv4</c>) and <c>--Section:Key=value</c> arguments; binds
/// them with the source-generated binder, rejects unknown keys, and validates.
/// </summary>
internal static class OptionsLoader
{
    public const string DefaultConfigPath = "/etc/k0s-node-ip/config.json";
    public const string EnvironmentPrefix = "K0SNODEIP_";

    /// <param name="configPath">The file to read; null means the default path, which may be absent.</param>
    /// <exception cref="ConfigurationException">The configuration is unreadable, unknown or invalid.</exception>
    public static K0sNodeIpOptions Load(string? configPath, IReadOnlyList<string> overrides)
    {
        var path = configPath ?? DefaultConfigPath;
        if (configPath is not null && !File.Exists(path))
        {
            throw new ConfigurationException($"config file {path} does not exist");
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.GetFullPath(path), optional: true, reloadOnChange: false)
                .AddEnvironmentVariables(EnvironmentPrefix)
                .AddCommandLine(overrides.ToArray())
                .Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or JsonException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(e.GetBaseException() is JsonException json ? WhereJsonFails(path, json) : $"{path}: {e.GetBaseException().Message}", e);
        }

        return Bind(configuration);
    }

    /// <summary>
    /// Malformed JSON named by file, 1-based line and column and what the reader expected; System.Text.Json counts from
    /// 0 and appends its own position words ("LineNumber: 0 | BytePositionInLine: 17.") to the message.
    /// </summary>
    private static string WhereJsonFails(string path, JsonException e)
    {
        var what = e.Message;
        foreach (var suffix in new[] { " Path:", " LineNumber:" })
        {
            if (what.IndexOf(suffix, StringComparison.Ordinal) is var at and > 0)
            {
                what = what[..at];
            }
        }

        return e.LineNumber is { } line
            ? $"{path}, line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: not valid JSON: {what.TrimEnd('.', ' ')}"
            : $"{path}: not valid JSON: {what.TrimEnd('.', ' ')}";
    }

    /// <summary>
    /// The options a --snapshot recorded (<see cref="EffectiveSettings"/>), with <paramref name="overrides"/>
    /// (--Section:Key=value) on top; no file and no environment are read, so a replay is the same on any machine.
    /// </summary>
    /// <exception cref="ConfigurationException">The settings are unknown or invalid.</exception>
    public static K0sNodeIpOptions LoadRecorded(IEnumerable<KeyValuePair<string, string?>> recorded, IReadOnlyList<string> overrides)
    {
        IConfigurationRoot configuration;
        try
        {
            // A list given with the replay replaces the recorded list instead of merging with it entry by entry.
            var replacedLists = overrides.Select(o => o.TrimStart('-').Split('=')[0].Split(':'))
                .Where(parts => parts.Length == 3 && parts[2].Length > 0 && parts[2].All(char.IsAsciiDigit))
                .Select(parts => $"{parts[0]}:{parts[1]}:")
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(recorded.Where(s => !replacedLists.Any(list => s.Key.StartsWith(list, StringComparison.OrdinalIgnoreCase))))
                .AddCommandLine(overrides.ToArray())
                .Build();
        }
        catch (FormatException e)
        {
            throw new ConfigurationException(e.Message, e);
        }

        return Bind(configuration);
    }

    private static K0sNodeIpOptions Bind(IConfiguration configuration)
    {
        RejectUnknownKeys(configuration);
        ReadDurations(configuration);
        RejectUnreadableValues(configuration);
        var options = new K0sNodeIpOptions();
        try
        {
            // A typo must not silently disable an override: unknown keys are errors.
            configuration.Bind(options, b => b.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            // Each value was read as its kind above: this is the binder's own check, in its own words.
            throw new ConfigurationException(e.Message, e);
        }

        // A JSON null (or a snapshot's "unset") for a setting that has a default: the binder would store the null.
        foreach (var setting in Settings.All.Where(s => s.RefusesNull))
        {
            if (setting.Effective(options).Any(pair => pair.Value is null))
            {
                throw new ConfigurationException($"{setting.Path}: null is not a value; leave the key out for its default");
            }
        }

        var result = new K0sNodeIpOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new ConfigurationException(string.Join("; ", result.Failures));
        }

        return options;
    }

    /// <summary>Every key the options know, per section (<see cref="Settings.All"/>); array keys take any index below them.</summary>
    private static readonly Dictionary<string, string[]> KnownKeys = Settings.All
        .GroupBy(s => s.Section, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(section => section.Key, section => section.Select(s => s.Key).ToArray(), StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> ListKeys = Settings.All
        .Where(s => s.Kind == SettingKind.List)
        .Select(s => s.Path)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Names the first unknown key with its full path, so a typo is found at once.</summary>
    private static void RejectUnknownKeys(IConfiguration configuration)
    {
        foreach (var section in configuration.GetChildren())
        {
            if (!KnownKeys.TryGetValue(section.Key, out var keys))
            {
                throw new ConfigurationException($"unknown configuration section \"{section.Key}\" (known: {string.Join(", ", KnownKeys.Keys)})");
            }

            foreach (var key in section.GetChildren())
            {
                if (!keys.Contains(key.Key, StringComparer.OrdinalIgnoreCase))
                {
                    throw new ConfigurationException($"unknown configuration key \"{section.Key}:{key.Key}\" (known: {string.Join(", ", keys)})");
                }

                // The binder drops a plain value given for a list: that must not silently lose an override.
                if (ListKeys.Contains($"{section.Key}:{key.Key}") && key.Value is { } single)
                {
                    throw new ConfigurationException(
                        $"{section.Key}:{key.Key}: \"{single}\" is a list: give each entry its index (--{section.Key}:{key.Key}:0=..., {EnvironmentPrefix}{section.Key}__{key.Key}__0=...) or a JSON array");
                }
            }
        }
    }

    /// <summary>
    /// Names the first value that is not of its setting's kind (a duration, a whole number, true or false), in the
    /// order the binder would reach it, with the key, the value and what was expected.
    /// </summary>
    /// <summary>
    /// Durations in systemd's form become the binder's hh:mm:ss (a bare number, which the binder would read as days, is
    /// refused with the other unreadable values).
    /// </summary>
    private static void ReadDurations(IConfiguration configuration)
    {
        foreach (var setting in Settings.All.Where(s => s.Kind == SettingKind.Duration))
        {
            if (configuration[setting.Path] is { Length: > 0 } value && !DurationText.IsBareNumber(value) && DurationText.ParseSystemd(value) is { } duration)
            {
                configuration[setting.Path] = duration.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    private static void RejectUnreadableValues(IConfiguration configuration)
    {
        foreach (var setting in Settings.All)
        {
            var value = configuration[setting.Path];
            if (setting.Unreadable(value) is { } problem)
            {
                throw new ConfigurationException($"{setting.Path}: \"{value}\" {problem}");
            }
        }
    }
}

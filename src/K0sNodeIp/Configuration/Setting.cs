using System.Globalization;

namespace K0sNodeIp.Configuration;

/// <summary>
/// One row of <see cref="Settings.All"/>: where a setting lives, what it holds, how a replay and a JSON null treat
/// it, and how the options give its effective value back as configuration text.
/// </summary>
internal sealed class Setting
{
    private readonly Func<K0sNodeIpOptions, string?>? _value;
    private readonly Func<K0sNodeIpOptions, IReadOnlyList<string>?>? _entries;

    /// <param name="value">The effective value as configuration text, null when its absence means something.</param>
    public Setting(string section, string key, SettingKind kind, Func<K0sNodeIpOptions, string?> value)
    {
        if (kind == SettingKind.List)
        {
            throw new ArgumentException("a list gives its entries: use Setting.List", nameof(kind));
        }

        (Section, Key, Kind, _value) = (section, key, kind, value);
    }

    private Setting(string section, string key, Func<K0sNodeIpOptions, IReadOnlyList<string>?> entries, IReadOnlyList<string> words) =>
        (Section, Key, Kind, _entries, Words) = (section, key, SettingKind.List, entries, words);

    /// <param name="entries">The effective entries; null or empty when there are none.</param>
    /// <param name="words">The words each entry takes; empty for free text.</param>
    public static Setting List(string section, string key, Func<K0sNodeIpOptions, IReadOnlyList<string>?> entries, IReadOnlyList<string>? words = null) =>
        new(section, key, entries, words ?? []);

    public string Section { get; }

    public string Key { get; }

    /// <summary>"Section:Key", as the README, the error messages and a snapshot's options spell it.</summary>
    public string Path => $"{Section}:{Key}";

    public SettingKind Kind { get; }

    /// <summary>The words a <see cref="SettingKind.Choice"/> (or each entry of a list of them) takes; empty for free text.</summary>
    public IReadOnlyList<string> Words { get; init; } = [];

    /// <summary>
    /// The answer a snapshot holds as given with this setting (the hostname lookup made with it, the target's files and
    /// family rule read with it), not what it would give otherwise: a replay refuses a change to it. None for the others.
    /// </summary>
    public RecordedAnswer AnsweredBy { get; init; }

    /// <summary>A JSON null (or a snapshot's unset) is refused: the setting has a default, and null is not one.</summary>
    public bool RefusesNull { get; init; }

    /// <summary>
    /// Whether <paramref name="effectiveKey"/> (spelled as <see cref="Effective"/> spells it) is this setting or, for a
    /// list, one of its entries.
    /// </summary>
    public bool Holds(string effectiveKey) =>
        effectiveKey.StartsWith(Path, StringComparison.Ordinal)
        && (effectiveKey.Length == Path.Length || (Kind == SettingKind.List && effectiveKey[Path.Length] == ':'));

    /// <summary>
    /// The effective value as configuration pairs: one "Section:Key" for a value, "Section:Key:i" per entry for a list,
    /// and an unset or empty list as one null under its own key.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string?>> Effective(K0sNodeIpOptions options)
    {
        if (_value is not null)
        {
            return [new(Path, _value(options))];
        }

        var entries = _entries!(options);
        return entries is null || entries.Count == 0
            ? [new(Path, null)]
            : entries.Select((entry, i) => new KeyValuePair<string, string?>($"{Path}:{i.ToString(CultureInfo.InvariantCulture)}", entry));
    }

    /// <summary>
    /// Why <paramref name="value"/> cannot be read as this setting's kind, in the project's words ("is not a whole
    /// number"), or null when it can. Words and text are left to the section's validator; an empty value to the binder,
    /// which keeps the default for it.
    /// </summary>
    public string? Unreadable(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return Kind switch
        {
            // As the binder reads them: TimeSpan.Parse and int.Parse with the invariant culture, bool.Parse.
            SettingKind.Duration when DurationText.IsBareNumber(value) =>
                $"is not a duration but a number without a unit: write {value.Trim()}s (systemd's form) or hh:mm:ss (e.g. 00:00:02)",
            SettingKind.Duration when DurationText.ParseSystemd(value) is null && !TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _) =>
                "is not a duration: " + DurationText.Expected,
            SettingKind.WholeNumber when !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => "is not a whole number",
            SettingKind.Flag when !bool.TryParse(value, out _) => "is not true or false",
            _ => null,
        };
    }
}

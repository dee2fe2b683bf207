using System.Globalization;
using K0sNodeIp.Node;
using K0sNodeIp.Policy;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Configuration;

/// <summary>
/// Every setting, once: the known keys and lists (<see cref="OptionsLoader"/>), the kind each value is read as, the
/// keys a JSON null may not clear, the effective values a --snapshot records (<see cref="EffectiveSettings"/>) and
/// the keys a replay may not change all come from this table. A new setting is its property and one row here (a test
/// holds the two together, another the README's table). Rows follow the properties' order, which is the order the
/// binder reads them in, so a value that cannot be read is reported as the binder would have.
/// </summary>
internal static class Settings
{
    private const string Detection = DetectionOptions.Section;
    private const string Target = TargetOptions.Section;
    private const string Reload = ReloadOptions.Section;
    private const string Watch = WatchOptions.Section;
    private const string Metrics = MetricsOptions.Section;

    public static IReadOnlyList<Setting> All { get; } =
    [
        new(Detection, nameof(DetectionOptions.Hostname), SettingKind.Text, o => o.Detection.Hostname),
        // Unset is kept as null: the target's rule decides then.
        new(Detection, nameof(DetectionOptions.PrimaryFamily), SettingKind.Choice, o => o.Detection.PrimaryFamily)
        {
            Words = [.. Enum.GetValues<IpFamily>().Select(f => f.Name())],
        },
        Setting.List(Detection, nameof(DetectionOptions.Sources), o => o.Detection.Sources ?? [.. SelectionRules.DefaultSources.Select(s => s.ToString())],
            Enum.GetNames<DetectionSource>()),
        new(Detection, nameof(DetectionOptions.StaticIPv4), SettingKind.Text, o => o.Detection.StaticIPv4),
        new(Detection, nameof(DetectionOptions.StaticIPv6), SettingKind.Text, o => o.Detection.StaticIPv6),
        new(Detection, nameof(DetectionOptions.Interface), SettingKind.Text, o => o.Detection.Interface),
        Setting.List(Detection, nameof(DetectionOptions.SkipInterfaces), o => o.Detection.SkipInterfaces ?? [.. SelectionRules.DefaultSkipInterfaces]),
        Setting.List(Detection, nameof(DetectionOptions.AllowedCidrs), o => o.Detection.AllowedCidrs),
        Setting.List(Detection, nameof(DetectionOptions.ExcludeCidrs), o => o.Detection.ExcludeCidrs),
        new(Detection, nameof(DetectionOptions.KeepCurrent), SettingKind.Flag, o => Flag(o.Detection.KeepCurrent)),
        new(Detection, nameof(DetectionOptions.CanReachIPv4), SettingKind.Text, o => o.Detection.CanReachIPv4),
        new(Detection, nameof(DetectionOptions.CanReachIPv6), SettingKind.Text, o => o.Detection.CanReachIPv6),

        // The hostname lookup's settings: a snapshot holds the lookup's answer, made with them.
        new(Detection, nameof(DetectionOptions.Resolver), SettingKind.Choice, o => o.Detection.ResolverMode.ToString())
        {
            Words = Enum.GetNames<ResolverMode>(), AnsweredBy = RecordedAnswer.Lookup,
        },
        new(Detection, nameof(DetectionOptions.KubeletBinary), SettingKind.Text, o => o.Detection.KubeletBinary) { AnsweredBy = RecordedAnswer.Lookup },
        // Unset is kept as null: resolv.conf's value applies then.
        new(Detection, nameof(DetectionOptions.DnsTimeout), SettingKind.Duration, o => Duration(o.Detection.DnsTimeout)) { AnsweredBy = RecordedAnswer.Lookup },
        new(Detection, nameof(DetectionOptions.DnsAttempts), SettingKind.WholeNumber, o => WholeNumber(o.Detection.DnsAttempts)) { AnsweredBy = RecordedAnswer.Lookup },
        new(Detection, nameof(DetectionOptions.LookupTimeout), SettingKind.Duration, o => Duration(o.Detection.LookupTimeout)) { AnsweredBy = RecordedAnswer.Lookup },
        new(Detection, nameof(DetectionOptions.OverrideFallback), SettingKind.Flag, o => Flag(o.Detection.OverrideFallback)),

        // The target's files and its family rule were read on the node with these: a snapshot holds only the answer.
        new(Target, nameof(TargetOptions.Kind), SettingKind.Choice, o => o.Target.Kind)
        {
            Words = TargetKindWords.All, AnsweredBy = RecordedAnswer.TargetFiles, RefusesNull = true,
        },
        new(Target, nameof(TargetOptions.Unit), SettingKind.Text, o => o.Target.Unit) { AnsweredBy = RecordedAnswer.TargetFiles },
        new(Target, nameof(TargetOptions.UnitDirectory), SettingKind.Text, o => o.Target.UnitDirectory) { AnsweredBy = RecordedAnswer.TargetFiles, RefusesNull = true },
        new(Target, nameof(TargetOptions.DropInName), SettingKind.Text, o => o.Target.DropInName) { AnsweredBy = RecordedAnswer.TargetFiles, RefusesNull = true },
        new(Target, nameof(TargetOptions.K0sConfig), SettingKind.Text, o => o.Target.K0sConfig) { AnsweredBy = RecordedAnswer.TargetFiles },
        new(Target, nameof(TargetOptions.EnvironmentFile), SettingKind.Text, o => o.Target.EnvironmentFile) { AnsweredBy = RecordedAnswer.TargetFiles },
        new(Target, nameof(TargetOptions.Path), SettingKind.Text, o => o.Target.Path) { AnsweredBy = RecordedAnswer.TargetFiles },
        new(Target, nameof(TargetOptions.Template), SettingKind.Text, o => o.Target.Template) { AnsweredBy = RecordedAnswer.TargetFiles, RefusesNull = true },

        new(Reload, nameof(ReloadOptions.Mode), SettingKind.Choice, o => o.Reload.Mode) { Words = ReloadModeWords.All, RefusesNull = true },
        new(Reload, nameof(ReloadOptions.MinInterval), SettingKind.Duration, o => Duration(o.Reload.MinInterval)),
        new(Reload, nameof(ReloadOptions.RandomDelay), SettingKind.Duration, o => Duration(o.Reload.RandomDelay)),
        new(Reload, nameof(ReloadOptions.Attempts), SettingKind.WholeNumber, o => WholeNumber(o.Reload.Attempts)),
        new(Reload, nameof(ReloadOptions.JobTimeout), SettingKind.Duration, o => Duration(o.Reload.JobTimeout)),
        new(Reload, nameof(ReloadOptions.StateFile), SettingKind.Text, o => o.Reload.StateFile) { RefusesNull = true },

        new(Watch, nameof(WatchOptions.Debounce), SettingKind.Duration, o => Duration(o.Watch.Debounce)),
        new(Watch, nameof(WatchOptions.SafetyInterval), SettingKind.Duration, o => Duration(o.Watch.SafetyInterval)),
        new(Watch, nameof(WatchOptions.FamilyGracePeriod), SettingKind.Duration, o => Duration(o.Watch.FamilyGracePeriod)),
        new(Watch, nameof(WatchOptions.WriteDuringGrace), SettingKind.Flag, o => Flag(o.Watch.WriteDuringGrace)),
        new(Watch, nameof(WatchOptions.StartupWait), SettingKind.Duration, o => Duration(o.Watch.StartupWait)),
        new(Watch, nameof(WatchOptions.LookupInterval), SettingKind.Duration, o => Duration(o.Watch.LookupInterval)),
        new(Watch, nameof(WatchOptions.RetryBackoff), SettingKind.Duration, o => Duration(o.Watch.RetryBackoff)),

        new(Metrics, nameof(MetricsOptions.TextfilePath), SettingKind.Text, o => o.Metrics.TextfilePath),
    ];

    /// <summary>
    /// Whether the configuration pair <paramref name="effectiveKey"/> (as <see cref="EffectiveSettings"/> spells it)
    /// belongs to a setting whose effect a snapshot holds as an answer: a replay cannot apply a change to it.
    /// </summary>
    public static bool IsAnsweredOnTheNode(string effectiveKey) => AnswerOf(effectiveKey) != RecordedAnswer.None;

    /// <summary>Which recorded answer the setting of <paramref name="effectiveKey"/> was used for; None for the others and unknown keys.</summary>
    public static RecordedAnswer AnswerOf(string effectiveKey)
    {
        // Configuration keys are case-insensitive (--target:unit is Target:Unit); a list entry is its list's.
        var parts = effectiveKey.Split(':');
        var path = parts.Length >= 2 ? $"{parts[0]}:{parts[1]}" : effectiveKey;
        return All.FirstOrDefault(s => string.Equals(s.Path, path, StringComparison.OrdinalIgnoreCase))?.AnsweredBy ?? RecordedAnswer.None;
    }

    // The binder reads TimeSpan with TimeSpan.Parse: the constant ("c") format round-trips exactly.
    private static string? Duration(TimeSpan? value) => value?.ToString("c", CultureInfo.InvariantCulture);

    private static string? WholeNumber(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string Flag(bool value) => value ? "true" : "false";
}

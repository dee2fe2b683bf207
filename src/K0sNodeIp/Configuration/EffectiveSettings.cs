using System.Globalization;
using K0sNodeIp.Policy;

namespace K0sNodeIp.Configuration;

/// <summary>
/// Every setting's effective value as "Section:Key" configuration pairs, defaults included (the default source order
/// and skip list spelled out), so a --snapshot shows the options detection ran with and a replay binds exactly them
/// again (<see cref="OptionsLoader.LoadRecorded"/>). A setting whose absence means something of its own (PrimaryFamily:
/// the target's rule; DnsTimeout: resolv.conf's) is kept as null.
/// </summary>
internal static class EffectiveSettings
{
    public static SortedDictionary<string, string?> Of(K0sNodeIpOptions options)
    {
        var settings = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        var d = options.Detection;
        Add(settings, DetectionOptions.Section, nameof(d.Hostname), d.Hostname);
        Add(settings, DetectionOptions.Section, nameof(d.PrimaryFamily), d.PrimaryFamily);
        AddList(settings, DetectionOptions.Section, nameof(d.Sources), d.Sources ?? [.. SelectionRules.DefaultSources.Select(s => s.ToString())]);
        Add(settings, DetectionOptions.Section, nameof(d.StaticIPv4), d.StaticIPv4);
        Add(settings, DetectionOptions.Section, nameof(d.StaticIPv6), d.StaticIPv6);
        Add(settings, DetectionOptions.Section, nameof(d.Interface), d.Interface);
        AddList(settings, DetectionOptions.Section, nameof(d.SkipInterfaces), d.SkipInterfaces ?? [.. SelectionRules.DefaultSkipInterfaces]);
        AddList(settings, DetectionOptions.Section, nameof(d.AllowedCidrs), d.AllowedCidrs);
        AddList(settings, DetectionOptions.Section, nameof(d.ExcludeCidrs), d.ExcludeCidrs);
        Add(settings, DetectionOptions.Section, nameof(d.KeepCurrent), Flag(d.KeepCurrent));
        Add(settings, DetectionOptions.Section, nameof(d.CanReachIPv4), d.CanReachIPv4);
        Add(settings, DetectionOptions.Section, nameof(d.CanReachIPv6), d.CanReachIPv6);
        Add(settings, DetectionOptions.Section, nameof(d.Resolver), d.ResolverMode.ToString());
        Add(settings, DetectionOptions.Section, nameof(d.KubeletBinary), d.KubeletBinary);
        Add(settings, DetectionOptions.Section, nameof(d.DnsTimeout), Duration(d.DnsTimeout));
        Add(settings, DetectionOptions.Section, nameof(d.DnsAttempts), d.DnsAttempts?.ToString(CultureInfo.InvariantCulture));
        Add(settings, DetectionOptions.Section, nameof(d.LookupTimeout), Duration(d.LookupTimeout));
        Add(settings, DetectionOptions.Section, nameof(d.OverrideFallback), Flag(d.OverrideFallback));

        var t = options.Target;
        Add(settings, TargetOptions.Section, nameof(t.Kind), t.Kind);
        Add(settings, TargetOptions.Section, nameof(t.Unit), t.Unit);
        Add(settings, TargetOptions.Section, nameof(t.UnitDirectory), t.UnitDirectory);
        Add(settings, TargetOptions.Section, nameof(t.DropInName), t.DropInName);
        Add(settings, TargetOptions.Section, nameof(t.K0sConfig), t.K0sConfig);
        Add(settings, TargetOptions.Section, nameof(t.EnvironmentFile), t.EnvironmentFile);
        Add(settings, TargetOptions.Section, nameof(t.Path), t.Path);
        Add(settings, TargetOptions.Section, nameof(t.Template), t.Template);

        var r = options.Reload;
        Add(settings, ReloadOptions.Section, nameof(r.Mode), r.Mode);
        Add(settings, ReloadOptions.Section, nameof(r.MinInterval), Duration(r.MinInterval));
        Add(settings, ReloadOptions.Section, nameof(r.Attempts), r.Attempts.ToString(CultureInfo.InvariantCulture));
        Add(settings, ReloadOptions.Section, nameof(r.JobTimeout), Duration(r.JobTimeout));
        Add(settings, ReloadOptions.Section, nameof(r.StateFile), r.StateFile);

        var w = options.Watch;
        Add(settings, WatchOptions.Section, nameof(w.Debounce), Duration(w.Debounce));
        Add(settings, WatchOptions.Section, nameof(w.SafetyInterval), Duration(w.SafetyInterval));
        Add(settings, WatchOptions.Section, nameof(w.FamilyGracePeriod), Duration(w.FamilyGracePeriod));
        Add(settings, WatchOptions.Section, nameof(w.StartupWait), Duration(w.StartupWait));
        Add(settings, WatchOptions.Section, nameof(w.LookupInterval), Duration(w.LookupInterval));
        Add(settings, WatchOptions.Section, nameof(w.RetryBackoff), Duration(w.RetryBackoff));
        Add(settings, WatchOptions.Section, nameof(w.WriteDuringGrace), Flag(w.WriteDuringGrace));

        Add(settings, MetricsOptions.Section, nameof(options.Metrics.TextfilePath), options.Metrics.TextfilePath);
        return settings;
    }

    private static void Add(SortedDictionary<string, string?> settings, string section, string key, string? value) =>
        settings[$"{section}:{key}"] = value;

    /// <summary>A list as its indexed entries; an unset or empty list as one null entry under its own key.</summary>
    private static void AddList(SortedDictionary<string, string?> settings, string section, string key, string[]? values)
    {
        if (values is null || values.Length == 0)
        {
            settings[$"{section}:{key}"] = null;
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            settings[$"{section}:{key}:{i.ToString(CultureInfo.InvariantCulture)}"] = values[i];
        }
    }

    // The binder reads TimeSpan with TimeSpan.Parse: the constant ("c") format round-trips exactly.
    private static string? Duration(TimeSpan? value) => value?.ToString("c", CultureInfo.InvariantCulture);

    private static string Flag(bool value) => value ? "true" : "false";
}

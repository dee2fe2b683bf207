namespace K0sNodeIp.Configuration;

/// <summary>
/// Every setting's effective value as "Section:Key" configuration pairs, defaults included (the default source order
/// and skip list spelled out), so a --snapshot shows the options detection ran with and a replay binds exactly them
/// again (<see cref="OptionsLoader.LoadRecorded"/>). A setting whose absence means something of its own (PrimaryFamily:
/// the target's rule; DnsTimeout: resolv.conf's) is kept as null. Each value is its row's in <see cref="Settings.All"/>.
/// </summary>
internal static class EffectiveSettings
{
    public static SortedDictionary<string, string?> Of(K0sNodeIpOptions options)
    {
        var settings = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var setting in Settings.All)
        {
            foreach (var (key, value) in setting.Effective(options))
            {
                settings[key] = value;
            }
        }

        return settings;
    }
}

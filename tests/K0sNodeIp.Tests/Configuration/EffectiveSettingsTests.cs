using System.Reflection;
using K0sNodeIp.Configuration;

namespace K0sNodeIp.Tests.Configuration;

/// <summary>The effective settings a --snapshot records bind again to the same options, and none is forgotten.</summary>
public sealed class EffectiveSettingsTests
{
    private static readonly string[] EverySetting =
    [
        "--Detection:Hostname=node1", "--Detection:PrimaryFamily=IPv6", "--Detection:Sources:0=Hostname", "--Detection:Sources:1=DefaultRoute",
        "--Detection:StaticIPv4=192.0.2.7", "--Detection:StaticIPv6=2001:db8::7", "--Detection:Interface=eth.*",
        "--Detection:SkipInterfaces:0=docker.*", "--Detection:AllowedCidrs:0=192.0.2.0/24", "--Detection:CanReachIPv4=192.0.2.1",
        "--Detection:CanReachIPv6=2001:db8::1", "--Detection:Resolver=Go", "--Detection:KubeletBinary=/usr/bin/kubelet",
        "--Detection:DnsTimeout=00:00:01.5", "--Detection:DnsAttempts=3", "--Detection:LookupTimeout=00:00:09", "--Detection:OverrideFallback=true",
        "--Target:Kind=k0s", "--Target:Unit=k0scontroller", "--Target:UnitDirectory=/run/systemd/system", "--Target:DropInName=60-x.conf",
        "--Target:K0sConfig=/etc/k0s/other.yaml", "--Target:EnvironmentFile=/etc/default/kubelet", "--Target:Path=/etc/x", "--Target:Template=ARGS={nodeIpFlag}",
        "--Reload:Mode=none", "--Reload:MinInterval=00:01:00", "--Reload:Attempts=5", "--Reload:JobTimeout=00:00:45", "--Reload:StateFile=/run/x.json",
        "--Watch:Debounce=00:00:03", "--Watch:SafetyInterval=00:20:00", "--Watch:FamilyGracePeriod=00:02:00", "--Watch:RetryBackoff=00:00:07",
        "--Watch:WriteDuringGrace=true", "--Metrics:TextfilePath=/tmp/k0s_node_ip.prom",
    ];

    [Fact]
    public void Recorded_settings_bind_to_the_same_options()
    {
        var settings = EffectiveSettings.Of(OptionsLoader.LoadRecorded([], EverySetting));

        var again = EffectiveSettings.Of(OptionsLoader.LoadRecorded(settings, []));

        Assert.Equal(settings, again);
        Assert.Equal("00:00:01.5000000", settings["Detection:DnsTimeout"]);
        Assert.Equal("DefaultRoute", settings["Detection:Sources:1"]);
    }

    [Fact]
    public void Every_known_setting_is_recorded()
    {
        var settings = EffectiveSettings.Of(OptionsLoader.LoadRecorded([], EverySetting));
        var known = (Dictionary<string, string[]>)typeof(OptionsLoader).GetField("KnownKeys", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;

        var missing = known.SelectMany(s => s.Value.Select(k => $"{s.Key}:{k}"))
            .Where(key => !settings.Keys.Any(k => k == key || k.StartsWith(key + ":", StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Defaults_are_spelled_out_and_meaningful_absences_kept_as_null()
    {
        var settings = EffectiveSettings.Of(OptionsLoader.LoadRecorded([], []));

        Assert.Equal(["CanReach", "Interface", "Hostname", "DefaultRoute"], settings.Where(s => s.Key.StartsWith("Detection:Sources:", StringComparison.Ordinal)).Select(s => s.Value));
        Assert.Contains(settings, s => s.Key.StartsWith("Detection:SkipInterfaces:", StringComparison.Ordinal) && s.Value == "docker0");
        Assert.Equal("Auto", settings["Detection:Resolver"]);
        Assert.True(settings.ContainsKey("Detection:PrimaryFamily"));
        Assert.Null(settings["Detection:PrimaryFamily"]);
        Assert.Null(settings["Detection:DnsTimeout"]);
        Assert.Null(OptionsLoader.LoadRecorded(settings, []).Detection.PrimaryFamily);
    }

    [Fact]
    public void A_list_given_with_the_replay_replaces_the_recorded_list()
    {
        var recorded = EffectiveSettings.Of(OptionsLoader.LoadRecorded([], []));

        var options = OptionsLoader.LoadRecorded(recorded, ["--Detection:Sources:0=DefaultRoute"]);

        Assert.Equal(["DefaultRoute"], options.Detection.Sources!);
    }

    [Fact]
    public void Replay_settings_override_the_recorded_ones()
    {
        var recorded = EffectiveSettings.Of(OptionsLoader.LoadRecorded([], ["--Detection:Interface=eth0"]));

        var options = OptionsLoader.LoadRecorded(recorded, ["--Detection:Interface=eth1"]);

        Assert.Equal("eth1", options.Detection.Interface);
    }
}

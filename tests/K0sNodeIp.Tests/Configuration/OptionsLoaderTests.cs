using K0sNodeIp.Configuration;
using K0sNodeIp.Node;
using K0sNodeIp.Policy;

namespace K0sNodeIp.Tests.Configuration;

public sealed class OptionsLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-config").FullName;

    [Theory]
    [InlineData("--Detection:StaticIPv4=300.1.1.1", "Detection:StaticIPv4", "300.1.1.1")]
    [InlineData("--Detection:StaticIPv4=2001:db8::1", "Detection:StaticIPv4", "2001:db8::1")]
    [InlineData("--Detection:StaticIPv6=127.0.0.1", "Detection:StaticIPv6", "127.0.0.1")]
    [InlineData("--Detection:StaticIPv6=fe80::1", "Detection:StaticIPv6", "fe80::1")]
    [InlineData("--Detection:PrimaryFamily=IPv5", "Detection:PrimaryFamily", "IPv5")]
    [InlineData("--Detection:Interface=eth[", "Detection:Interface", "eth[")]
    [InlineData("--Detection:SkipInterfaces:0=(", "Detection:SkipInterfaces:0", "(")]
    [InlineData("--Detection:AllowedCidrs:0=192.0.2.0/33", "Detection:AllowedCidrs:0", "192.0.2.0/33")]
    [InlineData("--Detection:AllowedCidrs:0=192.0.2.10/24", "Detection:AllowedCidrs:0", "write 192.0.2.0/24 for the network, or 192.0.2.10/32")]
    [InlineData("--Detection:ExcludeCidrs:0=2001:db8::10/64", "Detection:ExcludeCidrs:0", "write 2001:db8::/64 for the network, or 2001:db8::10/128")]
    [InlineData("--Watch:Debounce=2", "Watch:Debounce", "a number without a unit: write 2s (systemd's form) or hh:mm:ss")]
    [InlineData("--Reload:MinInterval=1.5", "Reload:MinInterval", "write 1.5s")]
    [InlineData("--Detection:Sources:0=Dns", "Detection:Sources:0", "Dns")]
    [InlineData("--Detection:Resolver=musl", "Detection:Resolver", "musl")]
    [InlineData("--Detection:DnsAttempts=0", "Detection:DnsAttempts", "0")]
    [InlineData("--Detection:DnsTimeout=-00:00:01", "Detection:DnsTimeout", "-00:00:01")]
    [InlineData("--Detection:LookupTimeout=1.00:00:00", "Detection:LookupTimeout", "1.00:00:00")]
    [InlineData("--Detection:DnsTimeout=soon", "Detection:DnsTimeout", "soon")]
    [InlineData("--Detection:StaticIP4=192.0.2.1", "Detection:StaticIP4", null)]
    [InlineData("--Detection:Interfaces=eth0", "Detection:Interfaces", null)]
    [InlineData("--Detektion:Interface=eth0", "Detektion", null)]
    [InlineData("--Detection:AllowedCidrs=10.0.0.0/8", "Detection:AllowedCidrs", "10.0.0.0/8")]
    [InlineData("--Detection:SkipInterfaces=eth0", "Detection:SkipInterfaces", "is a list")]
    public void Bad_setting_is_an_error_naming_the_key_and_the_value(string argument, string key, string? value)
    {
        var error = Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(Write("{}"), [argument]));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        if (value is not null)
        {
            Assert.Contains(value, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("2min", 120_000)]
    [InlineData("1h 30min", 5_400_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("00:00:02", 2_000)]
    [InlineData("1.00:00:00", 86_400_000)]
    [InlineData("0", 0)] // zero in any unit: the "set it to 0" of earlier releases' configurations still loads
    public void Durations_are_read_in_systemds_form_and_as_hh_mm_ss(string written, long milliseconds)
    {
        var options = OptionsLoader.Load(Write("{}"), [$"--Watch:FamilyGracePeriod={written}"]);

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options.Watch.FamilyGracePeriod);
    }

    [Fact]
    public void A_duration_in_systemds_form_in_the_config_file_is_read_too() =>
        Assert.Equal(TimeSpan.FromSeconds(3), OptionsLoader.Load(Write("{ \"Watch\": { \"Debounce\": \"3s\" } }"), []).Watch.Debounce);

    [Theory]
    [InlineData("--Watch:Debounce=forever", "Watch:Debounce: \"forever\" is not a duration: expected hh:mm:ss (e.g. 00:00:02)")]
    [InlineData("--Detection:DnsTimeout=soon", "Detection:DnsTimeout: \"soon\" is not a duration: expected hh:mm:ss (e.g. 00:00:02)")]
    [InlineData("--Detection:DnsAttempts=two", "Detection:DnsAttempts: \"two\" is not a whole number")]
    [InlineData("--Detection:OverrideFallback=maybe", "Detection:OverrideFallback: \"maybe\" is not true or false")]
    public void Unconvertible_value_names_the_key_the_value_and_the_expected_format(string argument, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(Write("{}"), [argument]));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_names_the_file()
    {
        var path = Write("{ \"Detection\": { ");

        var error = Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(path, []));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_is_placed_by_its_one_based_line_and_column()
    {
        var path = Write("{\n  \"Watch\": { \"Debounce\": \"00:00:02\" },\n  \"Detection\": { \"Interface\": eth1 }\n}\n");

        var error = Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(path, []));

        Assert.StartsWith($"{path}, line 3, column ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_config_file_that_does_not_exist_is_an_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(Missing, []));

        Assert.Contains(Missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_then_command_line_with_the_later_winning()
    {
        var path = Write("""
            { "Detection": { "PrimaryFamily": "IPv6", "StaticIPv4": "192.0.2.1", "SkipInterfaces": [ "eth9" ],
                             "AllowedCidrs": [ "192.0.2.0/24", "2001:db8::/32" ], "Sources": [ "DefaultRoute" ] } }
            """);

        var options = OptionsLoader.Load(path, ["--Detection:StaticIPv4=192.0.2.2"]);
        var rules = options.Detection.ToRules();

        Assert.Equal(IpFamily.IPv6, rules.PrimaryFamily);
        Assert.Equal(System.Net.IPAddress.Parse("192.0.2.2"), rules.StaticIPv4);
        Assert.Equal([DetectionSource.DefaultRoute], rules.Sources);
        Assert.Equal("eth9", rules.SkipRuleFor("eth9"));
        Assert.Null(rules.SkipRuleFor("kube-ipvs0"));
        Assert.Equal(2, rules.AllowedCidrs.Count);
    }

    [Fact]
    public void Defaults_skip_cni_and_kube_proxy_devices_but_not_lo_or_ethernet()
    {
        var rules = OptionsLoader.Load(Write("{}"), []).Detection.ToRules();

        Assert.All(["kube-ipvs0", "cni0", "flannel.1", "cali1234", "vxlan.calico", "cilium_host", "kube-bridge", "docker0", "veth12ab"],
            nic => Assert.NotNull(rules.SkipRuleFor(nic)));
        Assert.All(["lo", "eth0", "ens3", "bond0", "flannel"], nic => Assert.Null(rules.SkipRuleFor(nic)));
        Assert.Equal(IpFamily.IPv4, rules.PrimaryFamily);
        Assert.Equal(SelectionRules.DefaultSources, rules.Sources);
    }

    [Fact]
    public void Environment_variables_with_the_prefix_are_read()
    {
        Environment.SetEnvironmentVariable("K0SNODEIP_Detection__Interface", "bond0");
        try
        {
            var options = OptionsLoader.Load(Write("{}"), []);

            Assert.Equal("bond0", options.Detection.Interface);
        }
        finally
        {
            Environment.SetEnvironmentVariable("K0SNODEIP_Detection__Interface", null);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Missing => Path.Combine(_dir, "missing.json");

    private string Write(string json)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }
}

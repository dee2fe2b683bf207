using System.Net;
using K0sNodeIp.Node;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Tests.Sources;

/// <summary>/etc/hosts and /etc/resolv.conf read as Go's resolver reads them (hosts.go, dnsconfig_unix.go, netip).</summary>
public sealed class GoResolverRulesTests
{
    [Theory]
    [InlineData("192.0.2.10 node1.\n", "node1", null)]
    [InlineData("192.0.2.10 node1.\n", "node1.", "192.0.2.10")]
    [InlineData("192.0.2.10 node1.example.test.\n", "node1.example.test", "192.0.2.10")]
    [InlineData("192.0.2.10 node1.example.test\n", "node1.example.test.", "192.0.2.10")]
    [InlineData("192.0.2.10 Node1\n", "NODE1", "192.0.2.10")]
    public void Hosts_names_are_made_absolute_only_when_they_contain_a_dot(string hosts, string name, string? expected)
    {
        var found = HostsFile.Lookup(new StringReader(hosts), name);

        Assert.Equal(expected is null ? [] : [IPAddress.Parse(expected)], found);
    }

    [Fact]
    public void Ipv4_mapped_ipv6_address_in_hosts_is_an_ipv4_address()
    {
        var found = HostsFile.Lookup(new StringReader("::ffff:198.51.100.10 node1\n"), "node1");

        var address = Assert.Single(found);
        Assert.Equal(IPAddress.Parse("198.51.100.10"), address);
        Assert.Equal(IpFamily.IPv4, address.Family());
    }

    [Theory]
    [InlineData("192.0.2.010")]
    [InlineData("10.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("192.0.2.256")]
    [InlineData("192.0.2.10%eth0")]
    [InlineData("[2001:db8::10]")]
    [InlineData("2001:db8::10/64")]
    [InlineData("::ffff:192.0.2.01")]
    public void Addresses_go_rejects_are_skipped(string text)
    {
        Assert.False(GoAddress.TryParse(text, out _));
        Assert.Empty(HostsFile.Lookup(new StringReader($"{text} node1\n"), "node1"));
    }

    [Theory]
    [InlineData("2001:db8::10", "2001:db8::10")]
    [InlineData("fe80::1%eth0", "fe80::1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    public void Addresses_go_accepts_are_parsed(string text, string expected)
    {
        Assert.True(GoAddress.TryParse(text, out var address));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Fact]
    public void Resolv_conf_without_options_gives_gos_defaults()
    {
        var conf = ResolvConf.Parse(new StringReader("nameserver 192.0.2.53\n"));

        Assert.Equal(TimeSpan.FromSeconds(5), conf.Timeout);
        Assert.Equal(2, conf.Attempts);
        Assert.False(conf.SetsTimeout);
        Assert.False(conf.UnknownOption);
    }

    [Theory]
    [InlineData("options timeout:0 attempts:0\n", 1, 1)]
    [InlineData("options timeout:7x attempts:3\n", 7, 3)]
    [InlineData("options timeout:x\n", 1, 2)]
    public void Resolv_conf_timeout_and_attempts_follow_gos_parsing(string text, int seconds, int attempts)
    {
        var conf = ResolvConf.Parse(new StringReader(text));

        Assert.Equal(TimeSpan.FromSeconds(seconds), conf.Timeout);
        Assert.Equal(attempts, conf.Attempts);
    }

    [Theory]
    [InlineData("options edns0 trust-ad single-request rotate\n", false)]
    [InlineData("options inet6\n", true)]
    [InlineData("sortlist 130.155.160.0/255.255.240.0\n", true)]
    [InlineData("search example.test\ndomain example.test\n", false)]
    public void Resolv_conf_options_go_does_not_know_are_flagged(string text, bool unknown)
    {
        Assert.Equal(unknown, ResolvConf.Parse(new StringReader(text)).UnknownOption);
    }

    [Fact]
    public void Dns_limits_come_from_resolv_conf_and_the_bound_from_the_worst_case()
    {
        var conf = ResolvConf.Parse(new StringReader("nameserver 192.0.2.53\nnameserver 192.0.2.54\noptions timeout:3\n"));

        var limits = DnsSettings.Default.For(conf, names: 2);

        Assert.Equal(TimeSpan.FromSeconds(3), limits.Timeout);
        Assert.Equal("/etc/resolv.conf", limits.TimeoutOrigin);
        Assert.Equal(2, limits.Attempts);
        Assert.Equal("Go's default", limits.AttemptsOrigin);

        // 2 names x 2 attempts x 2 servers x 3 s, and a second for the pauses.
        Assert.Equal(TimeSpan.FromSeconds(25), limits.Budget);
    }

    [Fact]
    public void Dns_settings_override_resolv_conf()
    {
        var conf = ResolvConf.Parse(new StringReader("options timeout:3 attempts:4\n"));

        var limits = new DnsSettings(TimeSpan.FromSeconds(1), 1, TimeSpan.FromSeconds(9)).For(conf, names: 1);

        Assert.Equal((TimeSpan.FromSeconds(1), "Detection:DnsTimeout"), (limits.Timeout, limits.TimeoutOrigin));
        Assert.Equal((1, "Detection:DnsAttempts"), (limits.Attempts, limits.AttemptsOrigin));
        Assert.Equal((TimeSpan.FromSeconds(9), "Detection:LookupTimeout"), (limits.Budget, limits.BudgetOrigin));
    }

    [Fact]
    public void Timeout_and_attempts_beyond_what_a_timer_takes_are_capped_as_go_caps_them_without_overflow()
    {
        var conf = ResolvConf.Parse(new StringReader("nameserver 192.0.2.53\noptions timeout:99999999999 attempts:3000000\n"));

        var limits = DnsSettings.Default.For(conf, names: 3);

        Assert.Equal(TimeSpan.FromSeconds(0xFFFFFF), conf.Timeout);
        Assert.Equal(3000000, conf.Attempts);
        Assert.Equal(DnsSettings.LongestTimer, limits.Timeout);
        Assert.Equal(DnsSettings.LongestTimer, limits.Budget);
    }

}

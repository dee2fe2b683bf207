using K0sNodeIp.Node;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Tests.Sources;

/// <summary>Which resolver the kubelet of a node uses: Go's hostLookupOrder for a static and a cgo-built kubelet.</summary>
public sealed class ResolverChoiceTests
{
    private static readonly KubeletBuild Static = new(true, "kubelet /usr/bin/kubelet is a static binary");
    private static readonly KubeletBuild Dynamic = new(false, "kubelet /usr/bin/kubelet is dynamically linked (built with cgo)");

    [Theory]
    [InlineData("files myhostname dns", HostLookupOrder.FilesDns)]
    [InlineData("files dns", HostLookupOrder.FilesDns)]
    [InlineData("dns files", HostLookupOrder.DnsFiles)]
    [InlineData("files", HostLookupOrder.Files)]
    [InlineData("dns", HostLookupOrder.Dns)]
    [InlineData("files mdns4_minimal [NOTFOUND=return]", HostLookupOrder.FilesDns)]
    [InlineData("resolve [!UNAVAIL=return] files", HostLookupOrder.DnsFiles)]
    [InlineData("files dns [NOTFOUND=return] myhostname", HostLookupOrder.FilesDns)]
    public void Static_kubelet_uses_gos_resolver_whatever_nsswitch_names(string hosts, HostLookupOrder expected)
    {
        var choice = Decide(ResolverMode.Auto, Static, hosts, name: "node1", machine: "node1");

        Assert.Equal(expected, choice.Order);
        Assert.False(choice.UsesGlibc);
    }

    [Fact]
    public void K0s_kubelet_is_static_and_the_reason_says_myhostname_is_not_consulted()
    {
        var choice = Decide(ResolverMode.Auto, KubeletBuild.K0s, "files myhostname dns", name: "node1", machine: "node1");

        Assert.Equal("k0s runs a static kubelet: Go's resolver; nsswitch.conf's myhostname is not consulted", choice.Reason);
        Assert.Equal("Go", choice.Name);
    }

    [Theory]
    [InlineData("files myhostname dns", "node1", true)]
    [InlineData("files myhostname dns", "other-name", false)]
    [InlineData("files dns", "node1", false)]
    [InlineData("files resolve dns", "node1", true)]
    [InlineData("files mdns4_minimal [NOTFOUND=return] dns", "node1", false)]
    [InlineData("files mdns4_minimal [NOTFOUND=return] dns", "node1.local", true)]
    [InlineData("files myhostname dns", "localhost.localdomain", true)]
    [InlineData("files dns [SUCCESS=continue NOTFOUND=return] files", "node1", true)]
    public void Cgo_kubelet_hands_only_what_go_cannot_do_to_glibc(string hosts, string name, bool glibc)
    {
        var choice = Decide(ResolverMode.Auto, Dynamic, hosts, name, machine: "node1");

        Assert.Equal(glibc, choice.UsesGlibc);
        Assert.StartsWith(Dynamic.Why, choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cgo_kubelet_with_an_unknown_resolv_conf_option_uses_glibc()
    {
        var choice = ResolverSelection.Decide(ResolverMode.Auto, () => Dynamic, Sources("files dns"), resolvConfNeedsLibc: true, "node1", "node1");

        Assert.True(choice.UsesGlibc);
        Assert.Contains("resolv.conf", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cgo_kubelet_asks_glibc_when_mdns_allow_exists_or_nsswitch_cannot_be_read()
    {
        var withAllow = ResolverSelection.Decide(ResolverMode.Auto, () => Dynamic, Sources("files mdns4_minimal dns"), false, "node1", "node1", new ResolverFiles(false, MdnsAllow: true));
        var unreadable = ResolverSelection.Decide(ResolverMode.Auto, () => Dynamic, null, false, "node1", "node1", new ResolverFiles(NsSwitchUnreadable: true, false));
        var staticUnreadable = ResolverSelection.Decide(ResolverMode.Auto, () => Static, null, false, "node1", "node1", new ResolverFiles(NsSwitchUnreadable: true, false));

        Assert.True(withAllow.UsesGlibc);
        Assert.Contains("/etc/mdns.allow exists", withAllow.Reason, StringComparison.Ordinal);
        Assert.True(unreadable.UsesGlibc);
        Assert.Equal(HostLookupOrder.FilesDns, staticUnreadable.Order);
    }

    [Fact]
    public void Missing_nsswitch_means_files_then_dns()
    {
        var choice = ResolverSelection.Decide(ResolverMode.Auto, () => Dynamic, nsswitch: null, resolvConfNeedsLibc: false, "node1", "node1");

        Assert.Equal(HostLookupOrder.FilesDns, choice.Order);
    }

    [Fact]
    public void Explicit_modes_override_the_kubelet_binary_and_never_inspect_it()
    {
        KubeletBuild NotAsked() => throw new InvalidOperationException("the kubelet binary must not be inspected");

        Assert.True(ResolverSelection.Decide(ResolverMode.Glibc, NotAsked, Sources("files dns"), false, "node1", "node1").UsesGlibc);
        Assert.Equal(HostLookupOrder.FilesDns, ResolverSelection.Decide(ResolverMode.Go, NotAsked, Sources("files myhostname dns"), false, "node1", "node1").Order);
    }

    private const string InEnvironment = "GODEBUG=netdns=go in kubelet.service's Environment= (/etc/systemd/system/kubelet.service.d/20-dns.conf)";

    [Fact]
    public void Netdns_go_gives_a_cgo_kubelet_gos_resolver_even_for_its_own_name_with_myhostname()
    {
        var build = Dynamic with { NetDns = GoDebugNetDns.Go, NetDnsOrigin = InEnvironment };

        var choice = Decide(ResolverMode.Auto, build, "files myhostname dns", name: "node1", machine: "node1");

        Assert.Equal(HostLookupOrder.FilesDns, choice.Order);
        Assert.Equal($"{Dynamic.Why}, but {InEnvironment}: Go's resolver; nsswitch.conf's myhostname is not consulted", choice.Reason);
    }

    [Fact]
    public void Netdns_cgo_gives_a_cgo_kubelet_glibc_even_where_go_would_serve()
    {
        var origin = "GODEBUG=netdns=cgo+1 in /etc/default/kubelet (kubelet.service's EnvironmentFile=)";
        var build = Dynamic with { NetDns = GoDebugNetDns.Cgo, NetDnsOrigin = origin };

        var choice = Decide(ResolverMode.Auto, build, "files dns", name: "node1", machine: "node1");

        Assert.True(choice.UsesGlibc);
        Assert.Equal($"{Dynamic.Why}, and {origin}: glibc's getaddrinfo", choice.Reason);
        Assert.False(Decide(ResolverMode.Auto, Dynamic, "files dns", name: "node1", machine: "node1").UsesGlibc);
    }

    [Fact]
    public void Netdns_cgo_is_ignored_by_a_static_kubelet()
    {
        var origin = "GODEBUG=netdns=cgo in kubelet.service's Environment= (/lib/systemd/system/kubelet.service)";
        var build = Static with { NetDns = GoDebugNetDns.Cgo, NetDnsOrigin = origin };

        var choice = Decide(ResolverMode.Auto, build, "files myhostname dns", name: "node1", machine: "node1");

        Assert.Equal(HostLookupOrder.FilesDns, choice.Order);
        Assert.StartsWith($"{Static.Why} ({origin} is ignored without cgo): Go's resolver", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Static_kubelet_after_an_upgrade_uses_gos_resolver_where_the_cgo_one_asked_glibc()
    {
        Assert.True(Decide(ResolverMode.Auto, Dynamic, "files myhostname dns", name: "node1", machine: "node1").UsesGlibc);

        var choice = ResolverSelection.StaticKubelet(Sources("files myhostname dns"), resolvConfNeedsLibc: false, "node1", "node1");

        Assert.Equal(HostLookupOrder.FilesDns, choice.Order);
        Assert.Equal("a static kubelet (upstream 1.38+): Go's resolver; nsswitch.conf's myhostname is not consulted", choice.Reason);
    }

    private static ResolverChoice Decide(ResolverMode mode, KubeletBuild build, string hosts, string name, string machine) =>
        ResolverSelection.Decide(mode, () => build, Sources(hosts), resolvConfNeedsLibc: false, name, machine);

    private static IReadOnlyList<NsSource> Sources(string hosts) => NsSwitch.HostsSources(new StringReader($"hosts: {hosts}\n"));
}

using System.Text.Json;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// --print --json as a real process in network namespaces with a real dnsmasq: each test builds a node
/// and asserts the exact pair, and where it matters the source and kubelet's own pick.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class DetectionIntegrationTests
{
    [RootFact]
    public void Dual_stack_dns_answer_is_taken_for_both_families()
    {
        using var node = DualStackNode();
        node.StartDns("node1,192.0.2.10,2001:db8::10");

        var (exit, json, _) = node.Print("node1");

        Assert.Equal(0, exit);
        AssertPair(json, "192.0.2.10", "2001:db8::10");
        Assert.Equal("--node-ip=192.0.2.10,2001:db8::10", json.GetProperty("nodeIpFlag").GetString());
        Assert.Equal("lookup", AcceptedSource(json, "IPv4"));
        Assert.Equal("lookup", AcceptedSource(json, "IPv6"));
    }

    [RootFact]
    public void Dns_with_only_an_A_record_takes_ipv6_from_the_default_route()
    {
        using var node = DualStackNode();
        node.StartDns("node1,192.0.2.10");

        var (_, json, _) = node.Print("node1");

        AssertPair(json, "192.0.2.10", "2001:db8::5");
        Assert.Equal("lookup", AcceptedSource(json, "IPv4"));
        Assert.Equal("default-route", AcceptedSource(json, "IPv6"));
    }

    [RootFact]
    public void Nxdomain_falls_back_to_the_default_route_interface()
    {
        using var node = DualStackNode();
        node.StartDns();

        var (_, json, _) = node.Print("node1");

        AssertPair(json, "192.0.2.5", "2001:db8::5");
        Assert.Contains("NXDOMAIN", json.GetProperty("lookup").GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [RootFact]
    public void Debians_127_0_1_1_hosts_line_is_rejected_as_loopback()
    {
        using var node = DualStackNode(hosts: "127.0.0.1 localhost\n127.0.1.1 node1.example.test node1\n");
        node.StartDns("node1,192.0.2.10,2001:db8::10");

        var (_, json, _) = node.Print("node1");

        // The hosts file answers first (as Go's resolver does), so DNS is never asked.
        AssertPair(json, "192.0.2.5", "2001:db8::5");
        Assert.Equal("hosts-file", json.GetProperty("lookup").GetProperty("method").GetString());
        Assert.Contains(Candidates(json), c => c.Address == "127.0.1.1" && !c.Accepted && c.Reason == "loopback");
    }

    [RootFact]
    public void Stale_dns_record_not_assigned_locally_is_rejected()
    {
        using var node = DualStackNode();
        node.StartDns("node1,192.0.2.99,2001:db8::99");

        var (_, json, _) = node.Print("node1");

        AssertPair(json, "192.0.2.5", "2001:db8::5");
        Assert.Contains(Candidates(json), c => c.Address == "192.0.2.99" && c.Reason == "not assigned to a local interface");
        Assert.Contains(Candidates(json), c => c.Address == "2001:db8::99" && c.Reason == "not assigned to a local interface");
    }

    [RootFact]
    public void Ipv4_and_ipv6_defaults_on_different_interfaces_give_one_address_each()
    {
        using var node = new TestNode();
        node.AddLink("eth0");
        node.AddLink("eth1");
        node.Ip("addr", "add", "192.0.2.5/24", "dev", "eth0");
        node.Ip("-6", "addr", "add", "2001:db8:1::5/64", "dev", "eth0", "nodad");
        node.Ip("-6", "addr", "add", "2001:db8:2::7/64", "dev", "eth1", "nodad");
        node.Ip("route", "add", "default", "via", "192.0.2.1", "dev", "eth0");
        node.Ip("-6", "route", "add", "default", "via", "2001:db8:2::1", "dev", "eth1");
        node.StartDns();

        var (_, json, _) = node.Print("node1");

        AssertPair(json, "192.0.2.5", "2001:db8:2::7");
        Assert.Contains(Candidates(json), c => c.Address == "2001:db8:2::7" && c.Interface == "eth1" && c.Accepted);
    }

    [RootFact]
    public void Deprecated_ipv6_address_listed_first_is_passed_over_for_a_stable_one()
    {
        using var node = new TestNode();
        node.AddLink("eth0");
        node.Ip("addr", "add", "192.0.2.5/24", "dev", "eth0");
        node.Ip("-6", "addr", "add", "2001:db8::5/64", "dev", "eth0", "nodad");
        node.Ip("-6", "addr", "add", "2001:db8::20/64", "dev", "eth0", "nodad", "preferred_lft", "0");
        node.Ip("route", "add", "default", "via", "192.0.2.1");
        node.Ip("-6", "route", "add", "default", "via", "2001:db8::1");
        node.StartDns();
        var dumpOrder = node.Exec("ip", "-6", "-o", "addr", "show", "dev", "eth0", "scope", "global").Stdout;
        Assert.True(dumpOrder.IndexOf("2001:db8::20", StringComparison.Ordinal) < dumpOrder.IndexOf("2001:db8::5/", StringComparison.Ordinal), dumpOrder);

        var (_, json, _) = node.Print("node1");

        AssertPair(json, "192.0.2.5", "2001:db8::5");
        Assert.Equal("2001:db8::20", json.GetProperty("kubeletPick").GetProperty("ipv6").GetString());
        Assert.Contains(Candidates(json), c => c.Address == "2001:db8::20" && !c.Accepted && c.Reason.StartsWith("deprecated", StringComparison.Ordinal));
        Assert.Contains(json.GetProperty("beyondKubelet").EnumerateArray(), d => d.GetString()!.Contains("2001:db8::20", StringComparison.Ordinal));
    }

    [RootFact]
    public void No_default_route_and_no_dns_record_finds_nothing_and_exits_1()
    {
        using var node = new TestNode();
        node.AddLink("eth0");
        node.Ip("addr", "add", "192.0.2.5/24", "dev", "eth0");
        node.Ip("-6", "addr", "add", "2001:db8::5/64", "dev", "eth0", "nodad");
        node.StartDns();

        var (exit, json, _) = node.Print("node1");

        Assert.Equal(1, exit);
        AssertPair(json, null, null);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("nodeIpFlag").ValueKind);
    }

    [RootFact]
    public void No_default_route_still_takes_a_valid_dns_answer()
    {
        using var node = new TestNode();
        node.AddLink("eth0");
        node.Ip("addr", "add", "192.0.2.10/24", "dev", "eth0");
        node.Ip("-6", "addr", "add", "2001:db8::10/64", "dev", "eth0", "nodad");
        node.StartDns("node1,192.0.2.10,2001:db8::10");

        var (exit, json, _) = node.Print("node1");

        Assert.Equal(0, exit);
        AssertPair(json, "192.0.2.10", "2001:db8::10");
    }

    [RootFact]
    public void Ipv4_only_node_gives_a_single_address()
    {
        using var node = new TestNode();
        node.AddLink("eth0");
        node.Ip("addr", "add", "192.0.2.10/24", "dev", "eth0");
        node.Ip("route", "add", "default", "via", "192.0.2.1");
        node.StartDns("node1,192.0.2.10");

        var (exit, json, _) = node.Print("node1");

        Assert.Equal(0, exit);
        AssertPair(json, "192.0.2.10", null);
        Assert.Equal("--node-ip=192.0.2.10", json.GetProperty("nodeIpFlag").GetString());
    }

    [RootFact]
    public void Hostname_resolved_through_the_resolv_conf_search_domain()
    {
        using var node = DualStackNode(resolvConf: "nameserver 127.0.0.1\nsearch example.test\n");
        node.StartDns("node1.example.test,192.0.2.10,2001:db8::10");

        var (_, json, _) = node.Print("node1");

        AssertPair(json, "192.0.2.10", "2001:db8::10");
        Assert.Equal("dns", json.GetProperty("lookup").GetProperty("method").GetString());
    }

    [RootFact]
    public void Primary_family_ipv6_puts_ipv6_first_in_the_flag()
    {
        using var node = DualStackNode();
        node.StartDns("node1,192.0.2.10,2001:db8::10");

        var (_, json, _) = node.Print("node1", "--Detection:PrimaryFamily=IPv6");

        Assert.Equal("--node-ip=2001:db8::10,192.0.2.10", json.GetProperty("nodeIpFlag").GetString());
    }

    [RootFact]
    public void Hosts_file_answers_are_sorted_as_go_does_not_in_file_order()
    {
        using var node = DualStackNode(hosts: "127.0.0.1 localhost\nfd00:1::10 node1\n2001:db8::10 node1\n192.0.2.10 node1\n");
        node.Ip("-6", "addr", "add", "fd00:1::10/64", "dev", "eth0", "nodad");
        node.StartDns();

        var (_, json, _) = node.Print("node1");

        var answers = json.GetProperty("lookup").GetProperty("answers").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(["2001:db8::10", "192.0.2.10", "fd00:1::10"], answers);
        AssertPair(json, "192.0.2.10", "2001:db8::10");
    }

    [RootFact]
    public void Glibc_resolver_keeps_getaddrinfo_order_as_a_cgo_kubelet_would()
    {
        using var node = DualStackNode(hosts: "127.0.0.1 localhost\nfd00:1::10 node1\n2001:db8::10 node1\n");
        node.Ip("-6", "addr", "add", "fd00:1::10/64", "dev", "eth0", "nodad");
        node.StartDns();

        var (_, json, _) = node.Print("node1", "--Detection:Resolver=Glibc");

        Assert.Equal("getaddrinfo", json.GetProperty("lookup").GetProperty("method").GetString());
        var answers = json.GetProperty("lookup").GetProperty("answers").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal("fd00:1::10", answers[0]);
        Assert.Equal("fd00:1::10", json.GetProperty("ipv6").GetString());
    }

    [RootFact]
    public void Can_reach_takes_the_source_address_towards_the_destination_not_the_default_route()
    {
        // The Vagrant case: the default route leaves through a NAT interface; the cluster is on eth1.
        using var node = DualStackNode();
        node.AddLink("eth1");
        node.Ip("addr", "add", "198.51.100.7/24", "dev", "eth1");
        node.StartDns();

        var (_, json, _) = node.Print("node1", "--Detection:CanReachIPv4=198.51.100.1");

        Assert.Equal("198.51.100.7", json.GetProperty("ipv4").GetString());
        Assert.Equal("can-reach", AcceptedSource(json, "IPv4"));
        Assert.Equal("192.0.2.5", json.GetProperty("kubeletPick").GetProperty("ipv4").GetString());
    }

    private static TestNode DualStackNode(string hosts = "127.0.0.1 localhost\n", string resolvConf = "nameserver 127.0.0.1\n") =>
        TestNode.DualStack(hosts, resolvConf);

    private static void AssertPair(JsonElement json, string? ipv4, string? ipv6)
    {
        Assert.Equal(ipv4, json.GetProperty("ipv4").GetString());
        Assert.Equal(ipv6, json.GetProperty("ipv6").GetString());
    }

    private static string? AcceptedSource(JsonElement json, string family) =>
        Candidates(json).Single(c => c.Accepted && c.Family == family).Source;

    private static List<(string Address, string Family, string Source, string? Interface, bool Accepted, string Reason)> Candidates(JsonElement json) =>
        json.GetProperty("candidates").EnumerateArray().Select(c => (
            c.GetProperty("address").GetString()!,
            c.GetProperty("family").GetString()!,
            c.GetProperty("source").GetString()!,
            c.GetProperty("interface").GetString(),
            c.GetProperty("accepted").GetBoolean(),
            c.GetProperty("reason").GetString()!)).ToList();
}

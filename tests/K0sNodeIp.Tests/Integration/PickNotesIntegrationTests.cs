using System.Text.Json;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// Notes and warnings that say what is true about the pick, in real namespace nodes: --print --json inside the node,
/// and (through <see cref="TestNode.Print"/>) the same from its snapshot, which proves the snapshot carries carrier
/// and link type. A warning never changes the pair.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PickNotesIntegrationTests
{
    [RootTheory]
    [InlineData(null, "IPv6: no IPv6 default route")]
    [InlineData("blackhole", "IPv6: the IPv6 default route is a blackhole")]
    [InlineData("unreachable", "IPv6: the IPv6 default route is a blackhole")]
    [InlineData("dev", "IPv6: the IPv6 default route via dev eth0 has no gateway; kubelet skips such routes")]
    public void Ipv6_default_route_kubelet_skips_is_named_for_what_it_is(string? route, string note)
    {
        using var node = new TestNode();
        node.AddLink("eth0");
        node.Ip("addr", "add", "192.0.2.5/24", "dev", "eth0");
        node.Ip("-6", "addr", "add", "2001:db8::5/64", "dev", "eth0", "nodad");
        node.Ip("route", "add", "default", "via", "192.0.2.1");
        switch (route)
        {
            case "dev":
                node.Ip("-6", "route", "add", "default", "dev", "eth0");
                break;
            case not null:
                node.Ip("-6", "route", "add", route, "default");
                break;
        }

        node.StartDns();

        var (_, json, _) = node.Print("node1");

        Assert.Equal("192.0.2.5", json.GetProperty("ipv4").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("ipv6").ValueKind);
        Assert.Contains(Notes(json), n => n.StartsWith(note, StringComparison.Ordinal));
        if (route is not ("blackhole" or "unreachable"))
        {
            Assert.DoesNotContain(Notes(json), n => n.Contains("blackhole", StringComparison.Ordinal));
        }
    }

    [RootFact]
    public void Pick_on_a_link_without_carrier_is_kept_and_the_interface_with_carrier_is_named()
    {
        using var node = new TestNode();
        node.AddLink("eth0");
        node.AddLink("eth1", carrier: false);
        node.Ip("addr", "add", "192.0.2.5/24", "dev", "eth0");
        node.Ip("addr", "add", "198.51.100.7/24", "dev", "eth1");
        node.Ip("route", "add", "default", "via", "198.51.100.1", "dev", "eth1", "metric", "10");
        node.Ip("route", "add", "default", "via", "192.0.2.1", "dev", "eth0", "metric", "100");
        Assert.Contains("NO-CARRIER", node.Exec("ip", "link", "show", "eth1").Stdout, StringComparison.Ordinal);
        node.StartDns();

        var (_, json, _) = node.Print("node1");

        Assert.Equal("198.51.100.7", json.GetProperty("ipv4").GetString());
        Assert.Contains(Notes(json), n => n.StartsWith("IPv4: warning: 198.51.100.7 is on eth1", StringComparison.Ordinal)
            && n.Contains("eth0", StringComparison.Ordinal) && n.Contains("192.0.2.5", StringComparison.Ordinal));
    }

    [RootFact]
    public void Hosts_file_answer_on_an_interface_that_is_down_is_kept_with_a_warning()
    {
        using var node = TestNode.DualStack(hosts: "127.0.0.1 localhost\n203.0.113.20 node1\n");
        node.AddLink("eth2");
        node.Ip("addr", "add", "203.0.113.20/24", "dev", "eth2");
        node.Ip("link", "set", "eth2", "down");
        node.StartDns();

        var (_, json, _) = node.Print("node1");

        Assert.Equal("203.0.113.20", json.GetProperty("ipv4").GetString());
        Assert.Contains(Notes(json), n => n.StartsWith("IPv4: warning: 203.0.113.20", StringComparison.Ordinal)
            && n.Contains("eth2", StringComparison.Ordinal) && n.Contains("down", StringComparison.Ordinal));
    }

    [RootFact]
    public void Pick_on_a_tun_device_is_kept_and_the_other_default_route_interface_and_settings_are_named()
    {
        using var node = new TestNode();
        node.AddLink("eth0");
        node.AddTun("tun0");
        node.Ip("addr", "add", "192.0.2.5/24", "dev", "eth0");
        node.Ip("addr", "add", "10.8.0.2/24", "dev", "tun0");
        node.Ip("route", "add", "default", "dev", "tun0", "metric", "5");
        node.Ip("route", "add", "default", "via", "192.0.2.1", "dev", "eth0", "metric", "100");
        Assert.Contains("link/none", node.Exec("ip", "link", "show", "tun0").Stdout, StringComparison.Ordinal);
        node.StartDns();

        var (_, json, _) = node.Print("node1");

        Assert.Equal("10.8.0.2", json.GetProperty("ipv4").GetString());
        Assert.Contains(Notes(json), n => n.StartsWith("IPv4: warning: 10.8.0.2 is on tun0, a tunnel/VPN interface", StringComparison.Ordinal)
            && n.Contains("Detection:Interface=eth0", StringComparison.Ordinal));
    }

    private static List<string> Notes(JsonElement json) =>
        json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
}

using System.Net;
using K0sNodeIp.Node;
using K0sNodeIp.Policy;
using K0sNodeIp.Sources;
using K0sNodeIp.Tests.Support;
using static K0sNodeIp.Tests.Support.Snapshots;

namespace K0sNodeIp.Tests.Policy;

/// <summary>Notes that say what is true about a pick, and warnings that never change it.</summary>
public sealed class PickWarningsTests
{
    private static readonly SelectionRules Defaults = new();

    private static readonly NetInterface Eth0 = Nic(2, "eth0", "192.0.2.5/24", "2001:db8::5/64");

    private static NodeSnapshot WithIpv6RouteFile(string fixture) => Snapshot([Lo(), Eth0], table: RouteFileParser.ToTable(new RouteFileTexts(
        RouteFileParser.Ipv4File, "Iface\tDestination\tGateway\tFlags\neth0\t00000000\t010200C0\t0003\n", RouteFileParser.Ipv6File, Fixture.Text(fixture))));

    [Fact]
    public void Ipv6_default_with_no_gateway_is_named_by_its_device_and_not_called_a_reject_route()
    {
        var decision = SelectionPolicy.Decide(WithIpv6RouteFile("routes/v6devicedefault"), Defaults).Ipv6Decision;

        Assert.Null(decision.Chosen);
        Assert.Equal(["the IPv6 default route via dev eth0 has no gateway; kubelet skips such routes"], decision.Notes);
    }

    [Fact]
    public void Node_without_any_ipv6_default_route_says_just_that_whatever_the_kernels_null_entries()
    {
        var decision = SelectionPolicy.Decide(WithIpv6RouteFile("routes/v6nodefault-kernelnullentries"), Defaults).Ipv6Decision;

        Assert.Equal(["no IPv6 default route"], decision.Notes);
    }

    [Fact]
    public void Blackhole_ipv6_default_is_still_called_one()
    {
        var decision = SelectionPolicy.Decide(WithIpv6RouteFile("routes/v6blackholedefault"), Defaults).Ipv6Decision;

        Assert.Contains(decision.Notes, n => n.StartsWith("the IPv6 default route is a blackhole", StringComparison.Ordinal));
    }

    [Fact]
    public void Pick_on_a_link_without_carrier_is_kept_with_a_warning_naming_the_interface_with_carrier()
    {
        var eth1 = Nic(3, "eth1", "198.51.100.7/24", "2001:db8:2::7/64") with { HasCarrier = false };
        var node = Snapshot([Lo(), Eth0, eth1], [V4Route("eth1", "198.51.100.1"), V4Route("eth0"), V6Route("eth1", "2001:db8:2::1"), V6Route("eth0")]);

        var decision = SelectionPolicy.Decide(node, Defaults);

        Assert.Equal([IPAddress.Parse("198.51.100.7"), IPAddress.Parse("2001:db8:2::7")], decision.Pair);
        var warning = Assert.Single(decision.Ipv4Decision.Notes);
        Assert.StartsWith("warning: 198.51.100.7 is on eth1, which has no carrier", warning, StringComparison.Ordinal);
        Assert.Contains("eth0 has carrier and an IPv4 default route (192.0.2.5)", warning, StringComparison.Ordinal);
        Assert.Contains(decision.Ipv6Decision.Notes, n => n.Contains("eth0 has carrier and an IPv6 default route (2001:db8::5)", StringComparison.Ordinal));
        Assert.Equal([(PickRisk.NoCarrier, IpFamily.IPv4, "eth1", "eth0"), (PickRisk.NoCarrier, IpFamily.IPv6, "eth1", "eth0")],
            decision.Warnings.Select(w => (w.Risk, w.Family, w.Interface, w.Alternative)));
    }

    [Fact]
    public void Pick_without_carrier_and_no_interface_with_carrier_to_offer_gets_no_warning()
    {
        var eth0 = Eth0 with { HasCarrier = false };
        var node = Snapshot([Lo(), eth0], [V4Route("eth0"), V6Route("eth0")]);

        Assert.Empty(SelectionPolicy.Decide(node, Defaults).Warnings);
    }

    [Fact]
    public void Hostname_answer_on_an_interface_that_is_down_is_kept_with_a_warning()
    {
        var eth2 = Nic(4, "eth2", up: false, "203.0.113.20/24");
        var node = Snapshot([Lo(), Eth0, eth2], [V4Route("eth0"), V6Route("eth0")], new HostLookupResult(LookupMethod.HostsFile, [IPAddress.Parse("203.0.113.20")]));

        var decision = SelectionPolicy.Decide(node, Defaults).Ipv4Decision;

        Assert.Equal(IPAddress.Parse("203.0.113.20"), decision.Chosen);
        Assert.Equal(CandidateSource.Lookup, decision.ChosenSource);
        Assert.Equal((PickRisk.InterfaceDown, "eth2"), (Assert.Single(decision.PickWarnings).Risk, decision.PickWarnings[0].Interface));
        var warning = Assert.Single(decision.Notes);
        Assert.StartsWith("warning: 203.0.113.20, an answer of the hostname lookup, is on eth2, which is administratively down", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LinkTypes.None, false)]
    [InlineData(LinkTypes.Ppp, false)]
    [InlineData(LinkTypes.Ether, true)]
    public void Pick_on_a_tunnel_is_kept_with_a_warning_naming_the_other_default_route_interface_and_the_settings(ushort linkType, bool pointToPoint)
    {
        var tun0 = new NetInterface(5, "tun0", true, false, pointToPoint, [Address("10.8.0.2/24")]) { LinkType = linkType };
        var node = Snapshot([Lo(), Eth0, tun0], [new DefaultRoute("tun0", IPAddress.Any, IpFamily.IPv4), V4Route("eth0"), V6Route("eth0")]);

        var decision = SelectionPolicy.Decide(node, Defaults);

        Assert.Equal(IPAddress.Parse("10.8.0.2"), decision.Ipv4);
        var tunnel = Assert.Single(decision.Warnings);
        Assert.Equal((PickRisk.Tunnel, IpFamily.IPv4, IPAddress.Parse("10.8.0.2"), "tun0", "eth0"), (tunnel.Risk, tunnel.Family, tunnel.Address, tunnel.Interface, tunnel.Alternative));

        // The words are the feature here: they name the way out.
        var warning = tunnel.Note;
        Assert.StartsWith("warning: 10.8.0.2 is on tun0, a tunnel/VPN interface", warning, StringComparison.Ordinal);
        Assert.Contains("eth0 holds an IPv4 default route too (192.0.2.5)", warning, StringComparison.Ordinal);
        Assert.Contains("Detection:Interface=eth0", warning, StringComparison.Ordinal);
        Assert.Contains("Detection:SkipInterfaces", warning, StringComparison.Ordinal);
        Assert.Contains("Detection:AllowedCidrs", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Tunnel_chosen_by_an_override_is_the_operators_choice_and_gets_no_warning()
    {
        var tun0 = new NetInterface(5, "tun0", true, false, false, [Address("10.8.0.2/24")]) { LinkType = LinkTypes.None, HasCarrier = false };
        var node = Snapshot([Lo(), Eth0, tun0], [V4Route("eth0"), V6Route("eth0")]);

        var decision = SelectionPolicy.Decide(node, Defaults with { Interface = SelectionRules.Anchored("tun0") });

        Assert.Equal(IPAddress.Parse("10.8.0.2"), decision.Ipv4);
        Assert.Empty(decision.Warnings);
    }

    [Fact]
    public void Interfaces_of_unknown_carrier_and_link_type_get_no_warning()
    {
        var eth1 = Nic(3, "eth1", "198.51.100.7/24");
        var node = Snapshot([Lo(), Eth0, eth1], [V4Route("eth1", "198.51.100.1"), V4Route("eth0"), V6Route("eth0")]);

        Assert.Empty(SelectionPolicy.Decide(node, Defaults).Warnings);
    }
}

using System.Net;
using K0sNodeIp.Node;
using K0sNodeIp.Policy;
using static K0sNodeIp.Tests.Support.Snapshots;

namespace K0sNodeIp.Tests.Policy;

public sealed class SelectionPolicyTests
{
    private static readonly SelectionRules Defaults = new();

    private static readonly NetInterface Eth0 = Nic(2, "eth0", "192.0.2.5/24", "192.0.2.10/24", "2001:db8::5/64", "2001:db8::10/64", "fe80::1/64");

    [Fact]
    public void Valid_lookup_answers_win_over_the_default_route()
    {
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0"), V6Route("eth0")], Answers("2001:db8::10", "192.0.2.10"));

        var decision = SelectionPolicy.Decide(node, Defaults);

        Assert.Equal([IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")], decision.Pair);
        Assert.Equal(CandidateSource.Lookup, decision.Ipv4Decision.ChosenSource);
        Assert.Equal("--node-ip=192.0.2.10,2001:db8::10", decision.NodeIpFlag);
        Assert.Null(decision.Ipv4Decision.Divergence);
    }

    [Fact]
    public void Hostname_that_is_an_ip_is_taken_for_its_family_without_lookup()
    {
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0"), V6Route("eth0")], HostLookupResult.Skipped("hostname is an IP address"), hostname: "192.0.2.10");

        var decision = SelectionPolicy.Decide(node, Defaults);

        Assert.Equal(IPAddress.Parse("192.0.2.10"), decision.Ipv4);
        Assert.Equal(CandidateSource.HostnameIp, decision.Ipv4Decision.ChosenSource);
        Assert.Equal(IPAddress.Parse("2001:db8::5"), decision.Ipv6);
    }

    [Theory]
    [InlineData("127.0.1.1", "loopback")]
    [InlineData("169.254.3.4", "link-local")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("203.0.113.7", "not assigned to a local interface")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("2001:db8::99", "not assigned to a local interface")]
    public void Lookup_answers_failing_validateNodeIP_are_rejected_with_their_reason(string answer, string reason)
    {
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0"), V6Route("eth0")], Answers(answer));

        var decision = SelectionPolicy.Decide(node, Defaults);

        var candidate = decision.For(IPAddress.Parse(answer).Family()).Candidates.Single(c => c.Source == CandidateSource.Lookup);
        Assert.False(candidate.Accepted);
        Assert.Equal(reason, candidate.Reason);
        Assert.Equal(CandidateSource.DefaultRoute, decision.For(IPAddress.Parse(answer).Family()).ChosenSource);
    }

    [Fact]
    public void Answer_on_a_down_interface_is_local_and_accepted_as_in_kubelet()
    {
        var down = Nic(3, "eth1", up: false, "198.51.100.7/24");
        var node = Snapshot([Lo(), Eth0, down], [V4Route("eth0")], Answers("198.51.100.7"));

        var decision = SelectionPolicy.Decide(node, Defaults);

        Assert.Equal(IPAddress.Parse("198.51.100.7"), decision.Ipv4);
    }

    [Fact]
    public void Default_route_takes_the_first_global_address_in_dump_order()
    {
        var eth0 = Nic(2, "eth0", "fe80::1/64", "fd00::7/64", "2001:db8::5/64");
        var node = Snapshot([Lo(), eth0], [V6Route("eth0")]);

        var decision = SelectionPolicy.Decide(node, Defaults);

        Assert.Equal(IPAddress.Parse("fd00::7"), decision.Ipv6);
        Assert.Null(decision.Ipv4);
        Assert.Equal([IPAddress.Parse("fd00::7")], decision.Pair);
    }

    [Fact]
    public void Default_routes_are_tried_in_file_order_skipping_a_down_interface()
    {
        var eth0 = Nic(2, "eth0", up: false, "192.0.2.5/24");
        var eth1 = Nic(3, "eth1", "198.51.100.5/24");
        var node = Snapshot([Lo(), eth0, eth1], [V4Route("eth0"), V4Route("eth1")]);

        var decision = SelectionPolicy.Decide(node, Defaults);

        Assert.Equal(IPAddress.Parse("198.51.100.5"), decision.Ipv4);
        Assert.Contains(decision.Ipv4Decision.Notes, n => n.Contains("eth0 is down", StringComparison.Ordinal));
    }

    [Fact]
    public void Global_address_on_lo_is_used_when_the_route_interface_has_only_link_local_ones()
    {
        var eth0 = Nic(2, "eth0", "fe80::1/64");
        var node = Snapshot([Lo("2001:db8:ff::1/128"), eth0], [V6Route("eth0", "fe80::2")]);

        var decision = SelectionPolicy.Decide(node, Defaults);

        Assert.Equal(IPAddress.Parse("2001:db8:ff::1"), decision.Ipv6);
        Assert.Equal(CandidateSource.Loopback, decision.Ipv6Decision.ChosenSource);
    }

    [Theory]
    [InlineData("Deprecated", "deprecated")]
    [InlineData("Tentative", "tentative")]
    [InlineData("DadFailed", "DAD failed")]
    [InlineData("Temporary", "temporary (privacy)")]
    public void Unstable_ipv6_address_listed_first_gives_way_to_a_stable_one(string flag, string reason)
    {
        var eth0 = Nic(2, "eth0", $"2001:db8::20/64[{flag}]", "2001:db8::5/64");
        var node = Snapshot([Lo(), eth0], [V6Route("eth0")]);

        var decision = SelectionPolicy.Decide(node, Defaults).Ipv6Decision;

        Assert.Equal(IPAddress.Parse("2001:db8::5"), decision.Chosen);
        Assert.Equal(IPAddress.Parse("2001:db8::20"), decision.KubeletPick);
        var rejected = decision.Candidates.Single(c => c.Address.Equals(IPAddress.Parse("2001:db8::20")));
        Assert.StartsWith(reason, rejected.Reason, StringComparison.Ordinal);
        Assert.Contains("kubelet alone would pick 2001:db8::20", decision.Divergence, StringComparison.Ordinal);
    }

    [Fact]
    public void Unstable_address_is_still_taken_when_it_is_the_only_one()
    {
        var eth0 = Nic(2, "eth0", "2001:db8::20/64[Deprecated]");
        var node = Snapshot([Lo(), eth0], [V6Route("eth0")]);

        var decision = SelectionPolicy.Decide(node, Defaults).Ipv6Decision;

        Assert.Equal(IPAddress.Parse("2001:db8::20"), decision.Chosen);
        Assert.Null(decision.Divergence);
    }

    [Fact]
    public void Unstable_lookup_answer_gives_way_to_a_stable_answer()
    {
        var eth0 = Nic(2, "eth0", "2001:db8::20/64[Temporary]", "2001:db8::10/64");
        var node = Snapshot([Lo(), eth0], [V6Route("eth0")], Answers("2001:db8::20", "2001:db8::10"));

        Assert.Equal(IPAddress.Parse("2001:db8::10"), SelectionPolicy.Decide(node, Defaults).Ipv6);
    }

    [Fact]
    public void Interfaces_matching_a_skip_rule_are_rejected_with_the_rule()
    {
        var ipvs = Nic(5, "kube-ipvs0", "10.96.0.1/32", "192.0.2.77/32");
        var node = Snapshot([Lo(), Eth0, ipvs], [V4Route("eth0")], Answers("192.0.2.77"));

        var decision = SelectionPolicy.Decide(node, Defaults).Ipv4Decision;

        Assert.Equal(IPAddress.Parse("192.0.2.5"), decision.Chosen);
        Assert.Equal(RejectionReason.SkippedInterface, decision.Candidates.Single(c => c.Source == CandidateSource.Lookup).Rejection);
        Assert.Equal(IPAddress.Parse("192.0.2.77"), decision.KubeletPick);
    }

    [Fact]
    public void Static_addresses_override_detection_for_their_family_and_divergence_names_kubelets_pick()
    {
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0"), V6Route("eth0")]);
        var rules = Defaults with { StaticIPv4 = IPAddress.Parse("203.0.113.9") };

        var decision = SelectionPolicy.Decide(node, rules);

        Assert.Equal(IPAddress.Parse("203.0.113.9"), decision.Ipv4);
        Assert.Equal(CandidateSource.Static, decision.Ipv4Decision.ChosenSource);
        Assert.Equal("kubelet alone would pick 192.0.2.5; 203.0.113.9 was taken instead: operator override (static)", decision.Ipv4Decision.Divergence);
        Assert.Equal(IPAddress.Parse("2001:db8::5"), decision.Ipv6);
    }

    [Fact]
    public void Interface_override_takes_the_matching_interface_first()
    {
        var eth1 = Nic(3, "eth1", "198.51.100.5/24", "2001:db8:1::5/64");
        var node = Snapshot([Lo(), Eth0, eth1], [V4Route("eth0"), V6Route("eth0")]);
        var rules = Defaults with { Interface = SelectionRules.Anchored("eth[1-9]") };

        var decision = SelectionPolicy.Decide(node, rules);

        Assert.Equal([IPAddress.Parse("198.51.100.5"), IPAddress.Parse("2001:db8:1::5")], decision.Pair);
        Assert.Equal(CandidateSource.Interface, decision.Ipv4Decision.ChosenSource);
    }

    [Fact]
    public void Cidr_allow_list_filters_only_its_own_family()
    {
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0"), V6Route("eth0")]);
        var rules = Defaults with { AllowedCidrs = [IPNetwork.Parse("192.0.2.8/29")] };

        var decision = SelectionPolicy.Decide(node, rules);

        Assert.Equal(IPAddress.Parse("192.0.2.10"), decision.Ipv4);
        Assert.Equal(RejectionReason.OutsideAllowedCidrs, decision.Ipv4Decision.Candidates.Single(c => c.Address.Equals(IPAddress.Parse("192.0.2.5"))).Rejection);
        Assert.Equal(IPAddress.Parse("2001:db8::5"), decision.Ipv6);
    }

    [Fact]
    public void Can_reach_source_address_fixes_the_vagrant_nat_case()
    {
        var nat = Nic(2, "eth0", "10.0.2.15/24");
        var hostOnly = Nic(3, "eth1", "192.168.56.11/24");
        var node = Snapshot([Lo(), nat, hostOnly], [V4Route("eth0", "10.0.2.2")]) with
        {
            CanReach = new Dictionary<IpFamily, CanReachResult> { [IpFamily.IPv4] = new("192.168.56.10", IPAddress.Parse("192.168.56.11")) },
        };

        var decision = SelectionPolicy.Decide(node, Defaults).Ipv4Decision;

        Assert.Equal(IPAddress.Parse("192.168.56.11"), decision.Chosen);
        Assert.Equal(CandidateSource.CanReach, decision.ChosenSource);
        Assert.Equal(IPAddress.Parse("10.0.2.15"), decision.KubeletPick);
        Assert.Equal("eth1", decision.Candidates[0].Interface);
    }

    [Fact]
    public void Sources_order_puts_the_default_route_before_the_lookup()
    {
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0")], Answers("192.0.2.10"));
        var rules = Defaults with { Sources = [DetectionSource.DefaultRoute, DetectionSource.Hostname] };

        var decision = SelectionPolicy.Decide(node, rules).Ipv4Decision;

        Assert.Equal(IPAddress.Parse("192.0.2.5"), decision.Chosen);
        Assert.Contains(decision.Candidates, c => c.Address.Equals(IPAddress.Parse("192.0.2.10")) && c.Source == CandidateSource.Lookup
            && c.Reason == "usable, but 192.0.2.5 (default-route) comes first");
    }

    [Fact]
    public void Primary_family_ipv6_orders_the_pair()
    {
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0"), V6Route("eth0")]);

        var decision = SelectionPolicy.Decide(node, Defaults with { PrimaryFamily = IpFamily.IPv6 });

        Assert.Equal("--node-ip=2001:db8::5,192.0.2.5", decision.NodeIpFlag);
    }

    [Fact]
    public void Nothing_found_gives_no_flag_and_notes_why()
    {
        var node = Snapshot([Lo(), Eth0], table: new RouteTable([], Error: "no default routes found in /proc/net/route or /proc/net/ipv6_route"));

        var decision = SelectionPolicy.Decide(node, Defaults);

        Assert.False(decision.HasAddress);
        Assert.Null(decision.NodeIpFlag);
        Assert.Contains(decision.Ipv4Decision.Notes, n => n.StartsWith("no default routes found", StringComparison.Ordinal));
        Assert.Contains(decision.Notes, n => n.Contains("NXDOMAIN", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_route_file_scans_up_interfaces_as_kubelet_does()
    {
        var ptp = new NetInterface(4, "wg0", true, false, IsPointToPoint: true, [Address("10.9.0.1/32")]);
        var node = Snapshot([Lo(), ptp, Eth0], table: new RouteTable([], Ipv4RouteFileMissing: true));

        var decision = SelectionPolicy.Decide(node, Defaults);

        Assert.Equal(IPAddress.Parse("192.0.2.5"), decision.Ipv4);
        Assert.Equal(CandidateSource.InterfaceScan, decision.Ipv4Decision.ChosenSource);
    }

    [Fact]
    public void Route_to_a_missing_interface_stops_kubelet_but_not_us()
    {
        var node = Snapshot([Lo(), Eth0], [V4Route("gone0"), V4Route("eth0")]);

        var decision = SelectionPolicy.Decide(node, Defaults).Ipv4Decision;

        Assert.Equal(IPAddress.Parse("192.0.2.5"), decision.Chosen);
        Assert.Null(decision.KubeletPick);
        Assert.StartsWith("kubelet alone would find no IPv4 address: default route via 192.0.2.1 names interface gone0", decision.Divergence, StringComparison.Ordinal);
    }
}

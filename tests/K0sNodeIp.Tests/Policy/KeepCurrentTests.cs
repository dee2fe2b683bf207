using System.Net;
using K0sNodeIp.Node;
using K0sNodeIp.Policy;
using static K0sNodeIp.Tests.Support.Snapshots;

namespace K0sNodeIp.Tests.Policy;

/// <summary>The keep rule: the address the target holds stays while the deciding step still offers it, stable.</summary>
public sealed class KeepCurrentTests
{
    private static readonly SelectionRules Defaults = new();

    // IPv6 addresses are listed newest first: a VIP or a second address added later comes before ::10.
    private static NodeSnapshot Node(string first, string held = "192.0.2.10,2001:db8::10", HostLookupResult? lookup = null, string route = "eth0") =>
        Snapshot([Lo(), Nic(2, "eth0", "192.0.2.10/24", first, "2001:db8::10/64"), Nic(3, "eth1", "198.51.100.7/24", "2001:db8:1::7/64")],
            [V4Route(route), V6Route(route)], lookup) with
        { Target = new TargetState(NodeIpPair.Parse(held), []) };

    [Fact]
    public void Held_address_is_kept_while_a_newer_one_comes_first_and_kubelet_alone_is_named()
    {
        var decision = SelectionPolicy.Decide(Node("2001:db8::100/128"), Defaults);

        var ipv6 = decision.Ipv6Decision;
        Assert.Equal(IPAddress.Parse("2001:db8::10"), ipv6.Chosen);
        Assert.True(ipv6.Kept);
        Assert.Equal(IPAddress.Parse("2001:db8::100"), ipv6.KubeletPick);
        var kept = ipv6.Candidates.Single(c => c.Accepted);
        Assert.NotNull(kept.KeptBecause);
        Assert.Equal("kept: " + kept.KeptBecause, kept.Reason);
        Assert.DoesNotContain("first", kept.Reason, StringComparison.Ordinal);
        Assert.Contains("2001:db8::100", ipv6.Divergence, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_keep_rule_the_newest_address_is_taken_as_kubelet_takes_it()
    {
        var decision = SelectionPolicy.Decide(Node("2001:db8::100/128"), Defaults with { KeepCurrent = false });

        Assert.Equal(IPAddress.Parse("2001:db8::100"), decision.Ipv6);
        Assert.False(decision.Ipv6Decision.Kept);
    }

    [Fact]
    public void Deprecated_held_address_is_given_up_for_the_stable_new_one()
    {
        var node = Snapshot([Lo(), Nic(2, "eth0", "192.0.2.10/24", "2001:db8:2::10/64", "2001:db8::10/64[deprecated]")], [V4Route("eth0"), V6Route("eth0")]) with
        {
            Target = new TargetState(NodeIpPair.Parse("192.0.2.10,2001:db8::10"), []),
        };

        var decision = SelectionPolicy.Decide(node, Defaults);

        Assert.Equal(IPAddress.Parse("2001:db8:2::10"), decision.Ipv6);
        Assert.False(decision.Ipv6Decision.Kept);
    }

    [Fact]
    public void Held_address_on_an_interface_the_default_route_left_is_given_up()
    {
        var decision = SelectionPolicy.Decide(Node("2001:db8::20/64", route: "eth1"), Defaults);

        Assert.Equal(IPAddress.Parse("198.51.100.7"), decision.Ipv4);
        Assert.Equal(IPAddress.Parse("2001:db8:1::7"), decision.Ipv6);
    }

    [Fact]
    public void Held_address_the_lookup_no_longer_returns_is_given_up()
    {
        var decision = SelectionPolicy.Decide(Node("2001:db8::20/64", lookup: Answers("192.0.2.10", "2001:db8::20")), Defaults);

        Assert.Equal(IPAddress.Parse("2001:db8::20"), decision.Ipv6);
        Assert.Equal(CandidateSource.Lookup, decision.Ipv6Decision.ChosenSource);
    }

    [Fact]
    public void Held_address_still_among_the_lookup_answers_is_kept()
    {
        var decision = SelectionPolicy.Decide(Node("2001:db8::20/64", lookup: Answers("192.0.2.10", "2001:db8::20", "2001:db8::10")), Defaults);

        Assert.Equal(IPAddress.Parse("2001:db8::10"), decision.Ipv6);
        Assert.True(decision.Ipv6Decision.Kept);
    }

    [Fact]
    public void Held_address_an_override_no_longer_points_at_is_given_up()
    {
        var rules = Defaults with { Interface = SelectionRules.Anchored("eth1") };

        var decision = SelectionPolicy.Decide(Node("2001:db8::20/64"), rules);

        Assert.Equal(IPAddress.Parse("2001:db8:1::7"), decision.Ipv6);
    }

    [Fact]
    public void Held_address_inside_exclude_cidrs_is_given_up()
    {
        var rules = Defaults with { ExcludeCidrs = [IPNetwork.Parse("2001:db8::10/128")] };

        var decision = SelectionPolicy.Decide(Node("2001:db8::20/64"), rules);

        Assert.Equal(IPAddress.Parse("2001:db8::20"), decision.Ipv6);
        Assert.Contains(decision.Ipv6Decision.Candidates, c => c.Address.Equals(IPAddress.Parse("2001:db8::10")) && c.Rejection == RejectionReason.ExcludedCidr);
    }

    [Fact]
    public void Control_plane_virtual_ip_from_the_k0s_config_is_never_taken()
    {
        var vip = new VirtualIp(IPAddress.Parse("2001:db8::100"), "spec.network.controlPlaneLoadBalancing.keepalived.vrrpInstances[0].virtualIPs[0]");
        var node = Node("2001:db8::100/128", held: "192.0.2.10") with { Target = new TargetState(null, [vip]) };

        var decision = SelectionPolicy.Decide(node, Defaults);

        Assert.Equal(IPAddress.Parse("2001:db8::10"), decision.Ipv6);
        Assert.Contains(decision.Ipv6Decision.Candidates, c => c.Address.Equals(vip.Address) && !c.Accepted && c.Rejection == RejectionReason.VirtualIp);
    }
}

using System.Net;
using K0sNodeIp.Detection;
using K0sNodeIp.Node;
using K0sNodeIp.Policy;
using static K0sNodeIp.Tests.Support.Snapshots;

namespace K0sNodeIp.Tests.Policy;

/// <summary>Overrides that find nothing are failures, not silent fallbacks; explanations an operator can act on.</summary>
public sealed class OverrideAndExplanationTests
{
    private static readonly SelectionRules Defaults = new();

    private static readonly NetInterface Eth0 = Nic(2, "eth0", "192.0.2.5/24", "2001:db8::5/64");

    [Fact]
    public void Interface_matching_nothing_leaves_both_families_undetected_and_says_so()
    {
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0"), V6Route("eth0")]);

        var decision = SelectionPolicy.Decide(node, Defaults with { Interface = SelectionRules.Anchored("nonexistent0") });

        Assert.False(decision.HasAddress);
        Assert.Equal(2, decision.OverrideFailures.Count);
        Assert.All(decision.OverrideFailures, f => Assert.StartsWith("Detection:Interface found no usable", f, StringComparison.Ordinal));
        Assert.Contains("no interface matches Detection:Interface \"nonexistent0\"", decision.Ipv4Decision.OverrideFailure, StringComparison.Ordinal);
    }

    [Fact]
    public void Override_fallback_setting_lets_the_default_route_decide()
    {
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0"), V6Route("eth0")]);

        var decision = SelectionPolicy.Decide(node, Defaults with { Interface = SelectionRules.Anchored("nonexistent0"), OverrideFallback = true });

        Assert.Equal(IPAddress.Parse("192.0.2.5"), decision.Ipv4);
        Assert.Empty(decision.OverrideFailures);

        // Still a warning in every mode: a mistyped interface name must not pass in silence.
        Assert.Equal(2, decision.OverrideWarnings.Count);
        Assert.Contains(decision.Ipv4Decision.Notes, n => n.Contains("the next source decides (Detection:OverrideFallback=true)", StringComparison.Ordinal));
    }

    [Fact]
    public void Unreachable_can_reach_destination_fails_only_its_family()
    {
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0"), V6Route("eth0")]) with
        {
            CanReach = new Dictionary<IpFamily, CanReachResult> { [IpFamily.IPv4] = new("198.51.100.1", null, "unreachable: no route") },
        };

        var decision = SelectionPolicy.Decide(node, Defaults);

        Assert.Null(decision.Ipv4);
        Assert.Contains("Detection:CanReachIPv4", decision.Ipv4Decision.OverrideFailure, StringComparison.Ordinal);
        Assert.Contains("unreachable: no route", decision.Ipv4Decision.OverrideFailure, StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("2001:db8::5"), decision.Ipv6);
    }

    [Fact]
    public void Allowed_cidrs_that_exclude_every_candidate_are_named()
    {
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0"), V6Route("eth0")]);

        var decision = SelectionPolicy.Decide(node, Defaults with { AllowedCidrs = [IPNetwork.Parse("10.0.0.0/8")] });

        Assert.Null(decision.Ipv4);
        Assert.Equal("Detection:AllowedCidrs excludes every usable IPv4 candidate", decision.Ipv4Decision.OverrideFailure);
        Assert.NotNull(decision.Ipv6);
    }

    [Theory]
    [InlineData("192.0.2.5,2001:db8::5", "192.0.2.5", 1)]
    [InlineData("2001:db8::5", null, 0)]
    [InlineData("192.0.2.77,2001:db8::5", null, 0)]
    public void A_family_allowed_cidrs_leave_empty_keeps_the_address_the_target_holds_while_it_is_the_nodes(string held, string? kept, int keeps)
    {
        // Issue 32: the operator's setting is wrong, not the node; a held address no longer on the node is not kept.
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0"), V6Route("eth0")]) with { Target = new TargetState(NodeIpPair.Parse(held), []) };
        var detected = new DetectionResult(node, SelectionPolicy.Decide(node, Defaults with { AllowedCidrs = [IPNetwork.Parse("10.0.0.0/8")] }));

        var desired = DesiredPair.Compute(detected, IpFamily.IPv4, () => throw new InvalidOperationException("not asked"), grace: null);

        Assert.Equal(kept is null ? null : IPAddress.Parse(kept), desired.Pair.Ipv4);
        Assert.Equal(IPAddress.Parse("2001:db8::5"), desired.Pair.Ipv6);
        Assert.Equal(keeps, desired.KeptForSettings.Count);
        if (kept is not null)
        {
            Assert.Equal(new SettingKeep(IpFamily.IPv4, IPAddress.Parse(kept), "Detection:AllowedCidrs"), desired.KeptForSettings[0]);
        }
    }

    [Fact]
    public void Blackhole_default_route_is_named_and_explains_why_kubelet_finds_nothing()
    {
        var node = Snapshot([Lo(), Eth0], [new DefaultRoute("*", IPAddress.Any, IpFamily.IPv4), V4Route("eth0")]);

        var decision = SelectionPolicy.Decide(node, Defaults).Ipv4Decision;

        Assert.Equal(IPAddress.Parse("192.0.2.5"), decision.Chosen);
        Assert.Contains(decision.Notes, n => n.StartsWith("the IPv4 default route is a blackhole, unreachable or prohibit route (no device)", StringComparison.Ordinal));
        Assert.DoesNotContain(decision.Notes, n => n.Contains("interface *", StringComparison.Ordinal));
        Assert.StartsWith("kubelet alone would find no IPv4 address: the IPv4 default route is a blackhole", decision.Divergence, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostname_ip_not_on_this_node_is_kubelets_pick_but_never_written_as_node_ip()
    {
        // kubelet takes it unchecked only without --node-ip; as --node-ip it fails kubelet's validation.
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0"), V6Route("eth0")], HostLookupResult.Skipped("hostname is an IP address"), hostname: "203.0.113.9");

        var both = SelectionPolicy.Decide(node, Defaults);
        var decision = both.Ipv4Decision;

        Assert.Equal(IPAddress.Parse("192.0.2.5"), decision.Chosen);
        Assert.Equal(IPAddress.Parse("203.0.113.9"), decision.KubeletPick);

        // It stands among the decision's warnings (the daemon's log and STATUS=), not only in the explanation.
        var warning = Assert.Single(both.Warnings);
        Assert.Equal((PickRisk.HostnameNotLocal, IpFamily.IPv4, IPAddress.Parse("203.0.113.9")), (warning.Risk, warning.Family, warning.Address));
        Assert.Contains(decision.Notes, n => n.StartsWith("warning: hostname 203.0.113.9 is an IP address not assigned to any interface", StringComparison.Ordinal));
        Assert.Equal(RejectionReason.HostnameNotLocal, decision.Candidates.Single(c => c.Source == CandidateSource.HostnameIp).Rejection);
    }

    [Theory]
    [InlineData("010.0.2.5", "10.0.2.5")]
    [InlineData("42", null)]
    [InlineData("0x7f000001", null)]
    [InlineData("192.0.2.5", "192.0.2.5")]
    public void Hostname_is_an_ip_only_by_kubelets_sloppy_parser(string hostname, string? expected)
    {
        Assert.Equal(expected is not null, GoAddress.TryParseSloppy(hostname, out var address));
        if (expected is not null)
        {
            Assert.Equal(IPAddress.Parse(expected), address);
        }
    }

    [Fact]
    public void Lookup_error_is_said_once_not_per_family()
    {
        var node = Snapshot([Lo(), Eth0], [V4Route("eth0"), V6Route("eth0")], new HostLookupResult(LookupMethod.Dns, [], "node1. A: timeout", Faulted: true));

        var decision = SelectionPolicy.Decide(node, Defaults);

        var all = decision.Notes.Concat(decision.Ipv4Decision.Notes).Concat(decision.Ipv6Decision.Notes);
        Assert.Single(all, n => n.Contains("timeout", StringComparison.Ordinal));
        Assert.Single(decision.Notes);
    }
}

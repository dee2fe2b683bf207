using System.Net;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Tests.Sources;

public sealed class Rfc6724Tests
{
    private static readonly Dictionary<string, string> Sources = new()
    {
        ["192.0.2.10"] = "192.0.2.10",
        ["2001:db8::10"] = "2001:db8::10",
        ["fd00:1::10"] = "fd00:1::10",
        ["2001:db8:ffff::1"] = "2001:db8::10",
    };

    [Fact]
    public void Global_ipv6_precedes_ipv4_which_precedes_ula_as_in_gos_policy_table()
    {
        var sorted = Sort("fd00:1::10", "192.0.2.10", "2001:db8::10");

        Assert.Equal(["2001:db8::10", "192.0.2.10", "fd00:1::10"], sorted);
    }

    [Fact]
    public void Unreachable_destinations_go_last()
    {
        var sorted = Sort("203.0.113.1", "192.0.2.10");

        Assert.Equal(["192.0.2.10", "203.0.113.1"], sorted);
    }

    [Fact]
    public void Longer_matching_prefix_wins_between_ipv6_destinations()
    {
        var sorted = Sort("2001:db8:ffff::1", "2001:db8::10");

        Assert.Equal(["2001:db8::10", "2001:db8:ffff::1"], sorted);
    }

    [Fact]
    public void Equal_destinations_keep_their_order()
    {
        var sorted = Rfc6724.Sort([IPAddress.Parse("192.0.2.11"), IPAddress.Parse("192.0.2.10")], d => IPAddress.Parse("192.0.2.1"));

        Assert.Equal(["192.0.2.11", "192.0.2.10"], sorted.Select(a => a.ToString()));
    }

    private static IEnumerable<string> Sort(params string[] destinations) =>
        Rfc6724.Sort(destinations.Select(IPAddress.Parse).ToArray(), d => Sources.TryGetValue(d.ToString(), out var s) ? IPAddress.Parse(s) : null)
            .Select(a => a.ToString());
}

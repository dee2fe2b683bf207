using System.Net;
using K0sNodeIp.Agent;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;
using Microsoft.Extensions.Time.Testing;

namespace K0sNodeIp.Tests.Agent;

public sealed class FamilyGraceTests
{
    private static readonly NodeIpPair Dual = new(IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10"), IpFamily.IPv4);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Lost_family_keeps_its_address_until_the_grace_period_ends()
    {
        var grace = new FamilyGrace(TimeSpan.FromMinutes(5), _time);
        grace.Apply(Dual, [], out _);
        var lostAt = _time.GetUtcNow();

        var kept = grace.Apply(Dual with { Ipv6 = null }, [], out var recheck);
        _time.Advance(TimeSpan.FromMinutes(4));
        var stillKept = grace.Apply(Dual with { Ipv6 = null }, [], out _);
        _time.Advance(TimeSpan.FromMinutes(1));
        var notes = new List<string>();
        var dropped = grace.Apply(Dual with { Ipv6 = null }, notes, out _);

        Assert.Equal(Dual, kept);
        Assert.Equal(lostAt + TimeSpan.FromMinutes(5), recheck);
        Assert.Equal(Dual, stillKept);
        Assert.Null(dropped.Ipv6);
        Assert.Contains(notes, n => n.Contains("going without IPv6", StringComparison.Ordinal));
    }

    [Fact]
    public void Family_that_comes_back_resets_the_clock()
    {
        var grace = new FamilyGrace(TimeSpan.FromMinutes(5), _time);
        grace.Apply(Dual, [], out _);
        grace.Apply(Dual with { Ipv6 = null }, [], out _);
        _time.Advance(TimeSpan.FromMinutes(4));
        grace.Apply(Dual, [], out _);
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(Dual, grace.Apply(Dual with { Ipv6 = null }, [], out _));
    }

    [Fact]
    public void Zero_grace_goes_single_stack_at_once()
    {
        var grace = new FamilyGrace(TimeSpan.Zero, _time);
        grace.Apply(Dual, [], out _);

        Assert.Null(grace.Apply(Dual with { Ipv6 = null }, [], out _).Ipv6);
    }
}

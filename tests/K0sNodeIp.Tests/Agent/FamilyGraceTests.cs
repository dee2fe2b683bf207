using System.Net;
using K0sNodeIp.Detection;
using K0sNodeIp.Node;
using K0sNodeIp.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace K0sNodeIp.Tests.Agent;

public sealed class FamilyGraceTests
{
    private static readonly NodeIpPair Dual = new(IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10"), IpFamily.IPv4);
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(-1)]
    [InlineData(+1)]
    public void Grace_is_counted_on_the_monotonic_clock_whichever_way_the_wall_clock_steps(int hours)
    {
        var clock = new SteppedWallClock();
        var grace = new FamilyGrace(TimeSpan.FromMinutes(5), clock);
        grace.Apply(Dual, [], out _);
        Assert.Null(grace.Apply(Dual with { Ipv6 = null }, [], out _));

        clock.StepWallClock(TimeSpan.FromHours(hours));
        clock.Advance(TimeSpan.FromMinutes(4));
        var held = grace.Apply(Dual with { Ipv6 = null }, [], out var recheck);
        clock.Advance(TimeSpan.FromMinutes(1));
        var dropped = grace.Apply(Dual with { Ipv6 = null }, [], out _);

        Assert.Null(held);
        Assert.Equal(clock.GetUtcNow(), recheck);
        Assert.Equal(Dual with { Ipv6 = null }, dropped);
    }

    [Fact]
    public void Grace_an_earlier_run_began_continues_from_when_it_began()
    {
        var first = new FamilyGrace(TimeSpan.FromMinutes(5), _time);
        first.Apply(Dual, [], out _);
        _time.Advance(TimeSpan.FromSeconds(10));
        first.Apply(Dual with { Ipv6 = null }, [], out var firstRecheck);
        var (family, address, since, _) = Assert.Single(first.InGrace());
        _time.Advance(TimeSpan.FromMinutes(1));

        // The restarted agent: a new grace, continued from the record.
        var continued = new FamilyGrace(TimeSpan.FromMinutes(5), _time);
        continued.Seed(Dual);
        continued.Continue(family, address, since);
        var held = continued.Apply(Dual with { Ipv6 = null }, [], out var recheck);
        _time.Advance(TimeSpan.FromMinutes(4));
        var dropped = continued.Apply(Dual with { Ipv6 = null }, [], out _);

        Assert.Equal((IpFamily.IPv6, IPAddress.Parse("2001:db8::10")), (family, address));
        Assert.Null(held);
        Assert.Equal(firstRecheck, recheck);
        Assert.Equal(Dual with { Ipv6 = null }, dropped);
    }

    [Fact]
    public void Continued_grace_ignores_a_wall_clock_step_between_the_two_runs()
    {
        var clock = new SteppedWallClock();
        var first = new FamilyGrace(TimeSpan.FromMinutes(5), clock);
        first.Apply(Dual, [], out _);
        first.Apply(Dual with { Ipv6 = null }, [], out _);
        var (family, address, since, _) = Assert.Single(first.InGrace());

        clock.StepWallClock(TimeSpan.FromHours(3));
        clock.Advance(TimeSpan.FromMinutes(1));
        var continued = new FamilyGrace(TimeSpan.FromMinutes(5), clock);
        continued.Seed(Dual);
        continued.Continue(family, address, since);

        Assert.Null(continued.Apply(Dual with { Ipv6 = null }, [], out _));
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(Dual with { Ipv6 = null }, continued.Apply(Dual with { Ipv6 = null }, [], out _));
    }

    [Fact]
    public void Missing_families_record_keeps_when_a_grace_began_and_forgets_a_family_that_came_back()
    {
        var start = new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero);
        var v6 = new K0sNodeIp.Apply.FamilyMiss(IpFamily.IPv6, IPAddress.Parse("2001:db8::10"), 1_000, start);
        HashSet<IpFamily> onlyV4 = [IpFamily.IPv4];

        var began = K0sNodeIp.Apply.FamilyMisses.After([], onlyV4, [v6]);
        var later = K0sNodeIp.Apply.FamilyMisses.After(began, onlyV4, [v6 with { SinceTimestamp = 2_000, Since = start.AddSeconds(1) }]);
        var graceOver = K0sNodeIp.Apply.FamilyMisses.After(later, onlyV4, []);
        var back = K0sNodeIp.Apply.FamilyMisses.After(graceOver, new HashSet<IpFamily> { IpFamily.IPv4, IpFamily.IPv6 }, []);

        Assert.Equal([v6], began);
        Assert.Equal([v6], later);
        Assert.Equal([v6], graceOver);
        Assert.Empty(back);
    }

    [Fact]
    public void Missing_families_record_of_another_boot_is_no_record()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("k0snip-misses").FullName, "state.families.json");
        var miss = new K0sNodeIp.Apply.FamilyMiss(IpFamily.IPv6, IPAddress.Parse("2001:db8::10"), 123_456_789, new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero));
        new K0sNodeIp.Apply.FamilyMisses("boot-a", [miss]).Save(path, 1_000_000_000);

        Assert.Equal([miss], K0sNodeIp.Apply.FamilyMisses.Load(path, "boot-a", 1_000_000_000));
        Assert.Empty(K0sNodeIp.Apply.FamilyMisses.Load(path, "boot-b", 1_000_000_000));
        Assert.Empty(K0sNodeIp.Apply.FamilyMisses.Load(path, string.Empty, 1_000_000_000));
        Assert.Empty(K0sNodeIp.Apply.FamilyMisses.Load(path, "boot-a", 10_000_000));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void Lost_family_holds_the_file_until_the_grace_period_ends()
    {
        var grace = new FamilyGrace(TimeSpan.FromMinutes(5), _time);
        grace.Apply(Dual, [], out _);
        var lostAt = _time.GetUtcNow();

        var held = grace.Apply(Dual with { Ipv6 = null }, [], out var recheck);
        _time.Advance(TimeSpan.FromMinutes(4));
        var stillHeld = grace.Apply(Dual with { Ipv6 = null }, [], out _);
        _time.Advance(TimeSpan.FromMinutes(1));
        var notes = new List<string>();
        var dropped = grace.Apply(Dual with { Ipv6 = null }, notes, out _);

        Assert.Null(held);
        Assert.Equal(lostAt + TimeSpan.FromMinutes(5), recheck);
        Assert.Null(stillHeld);
        Assert.Equal(Dual with { Ipv6 = null }, dropped);
        Assert.Contains(notes, n => n.Contains("going without IPv6", StringComparison.Ordinal));
    }

    [Fact]
    public void Other_family_changing_during_grace_is_written_only_when_the_grace_ends_and_without_the_vanished_address()
    {
        var grace = new FamilyGrace(TimeSpan.FromMinutes(5), _time);
        grace.Apply(Dual, [], out _);
        grace.Apply(Dual with { Ipv6 = null }, [], out _);
        var moved = new NodeIpPair(IPAddress.Parse("192.0.2.20"), null, IpFamily.IPv4);

        _time.Advance(TimeSpan.FromMinutes(1));
        var notes = new List<string>();
        var during = grace.Apply(moved, notes, out _);
        _time.Advance(TimeSpan.FromMinutes(4));
        var after = grace.Apply(moved, [], out _);

        Assert.Null(during);
        Assert.Contains(notes, n => n.Contains("IPv4 is now 192.0.2.20", StringComparison.Ordinal) && n.Contains("when the grace ends", StringComparison.Ordinal));
        Assert.Equal(moved, after);
    }

    [Fact]
    public void Write_during_grace_writes_the_other_familys_change_at_once_with_current_addresses_only()
    {
        var grace = new FamilyGrace(TimeSpan.FromMinutes(5), _time, writeDuringGrace: true);
        grace.Apply(Dual, [], out _);
        Assert.Null(grace.Apply(Dual with { Ipv6 = null }, [], out _));
        var moved = new NodeIpPair(IPAddress.Parse("192.0.2.20"), null, IpFamily.IPv4);

        var written = grace.Apply(moved, [], out _);

        Assert.Equal(moved, written);
        Assert.Null(written!.Ipv6);
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

        Assert.Null(grace.Apply(Dual with { Ipv6 = null }, [], out _));
    }

    [Fact]
    public void Zero_grace_goes_single_stack_at_once()
    {
        var grace = new FamilyGrace(TimeSpan.Zero, _time);
        grace.Apply(Dual, [], out _);

        Assert.Null(grace.Apply(Dual with { Ipv6 = null }, [], out _)!.Ipv6);
    }
}

using System.Net;
using K0sNodeIp.Node;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;
using NSubstitute;

namespace K0sNodeIp.Tests.Sources;

public sealed class SnapshotReaderTests
{
    private readonly IHostnameSource _hostname = Substitute.For<IHostnameSource>();
    private readonly IHostLookup _lookup = Substitute.For<IHostLookup>();
    private readonly INetworkInterfaces _interfaces = Substitute.For<INetworkInterfaces>();
    private readonly ISourceAddressProbe _probe = Substitute.For<ISourceAddressProbe>();

    [Fact]
    public async Task Hostname_that_is_an_ip_is_not_looked_up()
    {
        _hostname.GetHostname().Returns("192.0.2.10");

        var snapshot = await Reader().ReadAsync(lookupHostname: true, new Dictionary<IpFamily, string>(), CancellationToken.None);

        await _lookup.DidNotReceiveWithAnyArgs().LookupAsync(default!, default!, default);
        Assert.Equal("192.0.2.10", snapshot.Hostname);
    }

    [Fact]
    public async Task Lookup_is_made_once_for_the_node_name()
    {
        _hostname.GetHostname().Returns("node1");
        _lookup.LookupAsync("node1", Arg.Any<ITargetFiles>(), Arg.Any<CancellationToken>()).Returns(new HostLookupResult(LookupMethod.Dns, [IPAddress.Parse("192.0.2.10")]));

        var snapshot = await Reader().ReadAsync(lookupHostname: true, new Dictionary<IpFamily, string>(), CancellationToken.None);

        await _lookup.Received(1).LookupAsync("node1", Arg.Any<ITargetFiles>(), Arg.Any<CancellationToken>());
        Assert.Equal([IPAddress.Parse("192.0.2.10")], snapshot.Lookup.Answers);
    }

    [Fact]
    public async Task Can_reach_name_is_resolved_then_probed_for_its_family()
    {
        _hostname.GetHostname().Returns("node1");
        _lookup.LookupAsync("gw.example", Arg.Any<ITargetFiles>(), Arg.Any<CancellationToken>())
            .Returns(new HostLookupResult(LookupMethod.Dns, [IPAddress.Parse("2001:db8::1"), IPAddress.Parse("198.51.100.1")]));
        _probe.SourceFor(IPAddress.Parse("198.51.100.1")).Returns(IPAddress.Parse("198.51.100.7"));

        var snapshot = await Reader().ReadAsync(lookupHostname: false, new Dictionary<IpFamily, string> { [IpFamily.IPv4] = "gw.example" }, CancellationToken.None);

        Assert.Equal(IPAddress.Parse("198.51.100.7"), snapshot.CanReach![IpFamily.IPv4].Source);
        await _lookup.DidNotReceive().LookupAsync("node1", Arg.Any<ITargetFiles>(), Arg.Any<CancellationToken>());
    }

    private SnapshotReader Reader() => new(_hostname, _lookup, _interfaces, _probe, () => RouteTable.Empty);
}

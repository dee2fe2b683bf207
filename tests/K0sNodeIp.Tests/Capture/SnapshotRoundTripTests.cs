using System.Net;
using System.Text.Json.Nodes;
using K0sNodeIp.Capture;
using K0sNodeIp.Configuration;
using K0sNodeIp.Detection;
using K0sNodeIp.Formats;
using K0sNodeIp.Node;
using K0sNodeIp.Report;
using K0sNodeIp.Sources;
using NSubstitute;
using static K0sNodeIp.Tests.Support.Snapshots;

namespace K0sNodeIp.Tests.Capture;

/// <summary>
/// A detection recorded through <see cref="NodeRecorder"/>, written, read back and replayed through
/// <see cref="RecordedNode"/> gives the same --print, text and JSON, on a node that exercises every recorded part.
/// </summary>
public sealed class SnapshotRoundTripTests
{
    private static readonly PrimaryFamilyChoice K0sSaysIpv6 = new(IpFamily.IPv6, "k0s config /etc/k0s/k0s.yaml: spec.network.primaryAddressFamily");

    [Fact]
    public async Task Replay_prints_what_the_recorded_detection_printed()
    {
        var options = OptionsLoader.LoadRecorded([], ["--Detection:CanReachIPv4=gw.example.test", "--Detection:AllowedCidrs:0=192.0.2.0/24", "--Detection:AllowedCidrs:1=2001:db8::/32"]);
        var (live, document) = await RecordAsync(options);

        var replayed = SnapshotFile.Parse(SnapshotFile.Serialize(document), "test");
        var node = new RecordedNode(replayed, options.Detection);
        var again = DesiredPair.Compute(await new NodeIpDetector(node.CreateReader(), options.Detection).DetectAsync(CancellationToken.None), null, node.TargetPrimaryFamily, grace: null);

        Assert.Equal(JsonReport.Render(live), JsonReport.Render(again));
        Assert.Equal(TextReport.Render(live), TextReport.Render(again));
        Assert.Equal(TextReport.Render(live), replayed.PrintedText);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(JsonReport.Render(live)), JsonNode.Parse(replayed.Printed!.Value.GetRawText())));

        // The parts a replay must have kept, seen in the result: the can-reach probe, the lookup, k0s's order.
        Assert.Equal("--node-ip=2001:db8::5,192.0.2.20", again.Pair.Flag);
        Assert.Equal(K0sSaysIpv6, again.Primary);
    }

    [Fact]
    public async Task Snapshot_keeps_the_raw_inputs_for_a_reader()
    {
        var (_, document) = await RecordAsync(OptionsLoader.LoadRecorded([], []));

        var lookup = Assert.Single(document.Lookups);
        Assert.Equal("node1", lookup.Name);
        Assert.Equal("DnsFiles", lookup.ResolverOrder);
        Assert.Equal(TimeSpan.FromSeconds(2), lookup.Dns!.Timeout);
        Assert.Equal(Ipv6Route, document.Routes.Ipv6.Content);
        Assert.Equal("Deprecated", document.Interfaces[1].Addresses.Single(a => a.Address == "2001:db8::99/64").Flags);
        Assert.Equal("k0s", document.Options["Target:Kind"]);
        Assert.Equal("IPv6", document.Target.PrimaryFamily);
        Assert.True(document.Kubelet!.Static);
    }

    [Fact]
    public void Recorded_target_error_fails_the_replay_as_it_failed_on_the_node()
    {
        var target = new SnapshotDocument.TargetRecord { Kind = "k0s", Description = "k0s", Path = "/x", Error = "k0s config is not valid YAML: (Line: 1)" };

        var e = Assert.Throws<TargetException>(() => target.PrimaryFamilyChoice());

        Assert.Equal("k0s config is not valid YAML: (Line: 1)", e.Message);
    }

    private const string Ipv4Route = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n";
    private const string Ipv6Route = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 20010db8000000000000000000000001 00000400 00000001 00000000 00000003 eth0\n";

    /// <summary>One detection over fakes, recorded, with what --print would say of it.</summary>
    private static async Task<(DesiredState Live, SnapshotDocument Document)> RecordAsync(K0sNodeIpOptions options)
    {
        var hostname = Substitute.For<IHostnameSource>();
        hostname.GetHostname().Returns("node1");
        var lookup = Substitute.For<IHostLookup>();
        lookup.LookupAsync("node1", Arg.Any<CancellationToken>()).Returns(new HostLookupResult(LookupMethod.Dns, [IPAddress.Parse("2001:db8::5")], "no A record")
        {
            Resolver = new ResolverChoice(HostLookupOrder.DnsFiles, "nsswitch.conf: hosts: dns files"),
            Dns = new DnsLimits(TimeSpan.FromSeconds(2), "/etc/resolv.conf", 2, "Go's default", TimeSpan.FromSeconds(5), "the resolver's worst case plus 1 s"),
        });
        lookup.LookupAsync("gw.example.test", Arg.Any<CancellationToken>()).Returns(new HostLookupResult(LookupMethod.Dns, [IPAddress.Parse("198.51.100.1")]));
        var interfaces = Substitute.For<INetworkInterfaces>();
        interfaces.Read().Returns([Lo(), Nic(2, "eth0", "192.0.2.10/24", "192.0.2.20/24", "2001:db8::99/64[deprecated]", "2001:db8::5/64[permanent,nodad]")]);
        var probe = Substitute.For<ISourceAddressProbe>();
        probe.SourceFor(IPAddress.Parse("198.51.100.1")).Returns(IPAddress.Parse("192.0.2.20"));

        var recorder = new NodeRecorder();
        var reader = new SnapshotReader(
            hostname,
            recorder.Record(lookup),
            interfaces,
            recorder.Record(probe),
            recorder.RecordRoutes(() => new RouteFileTexts(RouteTable.Ipv4File, Ipv4Route, RouteTable.Ipv6File, Ipv6Route)));
        _ = recorder.Record(() => KubeletBuild.K0s)();
        var detected = await new NodeIpDetector(reader, options.Detection).DetectAsync(CancellationToken.None);
        var target = new SnapshotDocument.TargetRecord
        {
            Kind = "k0s",
            Description = "k0s drop-in for k0sworker.service",
            Path = "/etc/systemd/system/k0sworker.service.d/50-k0s-node-ip.conf",
            PrimaryFamily = K0sSaysIpv6.Family.Name(),
            PrimaryFamilySource = K0sSaysIpv6.Origin,
        };
        var live = DesiredPair.Compute(detected, null, () => K0sSaysIpv6, grace: null);
        var document = SnapshotCapture.Build(recorder, detected.Snapshot, options, target, JsonReport.Render(live), TextReport.Render(live), null, DateTimeOffset.UnixEpoch);
        return (live, document);
    }
}

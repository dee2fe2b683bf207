using System.Net;
using System.Text.Json.Nodes;
using K0sNodeIp.Capture;
using K0sNodeIp.Configuration;
using K0sNodeIp.Detection;
using K0sNodeIp.Formats;
using K0sNodeIp.Modes;
using K0sNodeIp.Node;
using K0sNodeIp.Report;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;
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
        var target = new SnapshotDocument.TargetRecord { Kind = "k0s", Description = "k0s", Path = "/x", NodeIpInFile = null, Error = "k0s config is not valid YAML: (Line: 1)" };

        var e = Assert.Throws<TargetException>(() => target.PrimaryFamilyChoice());

        Assert.Equal("k0s config is not valid YAML: (Line: 1)", e.Message);
    }

    [Fact]
    public async Task With_target_files_a_replay_derives_the_targets_answers_from_the_recorded_files()
    {
        var (replayed, options, config) = await RecordWithTargetFilesAsync();

        var asRecorded = Composition.CreateRecordedNode(replayed, options).TargetPrimaryFamily();
        var recordedConfig = Assert.Single(replayed.Target.Inputs!.Files, f => f.Path == config);
        recordedConfig.Content = recordedConfig.Content!.Replace("IPv6", "IPv4", StringComparison.Ordinal);
        var afterEdit = Composition.CreateRecordedNode(replayed, options).TargetPrimaryFamily();

        Assert.Equal(IpFamily.IPv6, asRecorded.Family);
        Assert.Equal(IpFamily.IPv4, afterEdit.Family);
        Assert.Equal("IPv6", replayed.Target.PrimaryFamily);
    }

    [Fact]
    public async Task A_recorded_file_the_target_reads_that_was_removed_by_hand_is_an_error_not_an_absent_file()
    {
        var (replayed, options, config) = await RecordWithTargetFilesAsync();
        replayed.Target.Inputs!.Files.RemoveAll(f => f.Path == config);

        var e = Assert.Throws<SnapshotException>(() => Composition.CreateRecordedNode(replayed, options));

        Assert.Contains($"target.inputs.files has no entry for {config}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recorded_file_that_existed_without_its_content_or_a_null_listing_is_an_error()
    {
        var (replayed, options, config) = await RecordWithTargetFilesAsync();
        Assert.Single(replayed.Target.Inputs!.Files, f => f.Path == config).Content = null;
        var (listed, listedOptions, _) = await RecordWithTargetFilesAsync();
        var folder = listed.Target.Inputs!.Listings.Keys.First();
        listed.Target.Inputs.Listings[folder] = null!;

        var noContent = Assert.Throws<SnapshotException>(() => Composition.CreateRecordedNode(replayed, options));
        var nullListing = Assert.Throws<SnapshotException>(() => Composition.CreateRecordedNode(listed, listedOptions));

        Assert.Contains(".content is missing", noContent.Message, StringComparison.Ordinal);
        Assert.Contains($"target.inputs.listings[\"{folder}\"] is null", nullListing.Message, StringComparison.Ordinal);
    }

    /// <summary>A snapshot with --with-target-files of a k0s node whose config puts IPv6 first, written and read back; the files are gone from the disk.</summary>
    private static async Task<(SnapshotDocument Replayed, K0sNodeIpOptions Options, string ConfigPath)> RecordWithTargetFilesAsync()
    {
        var root = Directory.CreateTempSubdirectory("k0s-node-ip-snapshot-inputs-").FullName;
        var units = Directory.CreateDirectory(Path.Combine(root, "units")).FullName;
        var config = Path.Combine(root, "k0s.yaml");
        File.WriteAllText(config, "spec:\n  network:\n    primaryAddressFamily: IPv6\n    dualStack:\n      enabled: true\n");
        File.WriteAllText(Path.Combine(units, "k0sworker.service"), $"[Service]\nExecStart=/usr/local/bin/k0s worker --config={config} --token-file=/etc/k0s/k0stoken\n");
        var target = new K0sDropInTarget(units, "k0sworker", "50-k0s-node-ip.conf", null);
        var options = OptionsLoader.LoadRecorded([], [$"--Target:UnitDirectory={units}"]);
        var (_, document) = await RecordAsync(options);
        document.Target = SnapshotCapture.DescribeTarget("k0s", target, TargetFileReader.Read(target), withInputs: true);
        Directory.Delete(root, recursive: true);
        return (SnapshotFile.Parse(SnapshotFile.Serialize(document), "test"), options, config);
    }

    [Fact]
    public void Without_target_files_no_file_content_is_recorded()
    {
        var target = new K0sDropInTarget("/nonexistent/k0s-node-ip-snapshot/units", "k0sworker", "50-k0s-node-ip.conf", null);
        var inputs = new TargetInputs(target.Path) { Files = new Dictionary<string, string?> { [target.UnitPath] = "[Service]\nExecStart=/usr/local/bin/k0s worker\n" } };

        var record = SnapshotCapture.DescribeTarget("k0s", target, ((INodeIpTarget)target).StateOf(inputs));

        Assert.Null(record.Inputs);
        Assert.Contains(record.Reads, f => f.Path == target.UnitPath && f.Exists && f.Content is null);
    }

    [Fact]
    public void Recorded_inputs_for_another_file_than_the_options_write_are_refused()
    {
        var target = new K0sDropInTarget("/nonexistent/k0s-node-ip-snapshot/units", "k0sworker", "50-k0s-node-ip.conf", null);
        var document = SnapshotFile.Parse(SnapshotFile.Serialize(new SnapshotDocument
        {
            Options = [],
            Hostname = "node1",
            Lookups = [],
            Routes = new SnapshotDocument.RouteFilesRecord { Ipv4 = new() { Path = RouteTable.Ipv4File, Exists = false }, Ipv6 = new() { Path = RouteTable.Ipv6File, Exists = false } },
            Interfaces = [],
            Probes = [],
            Target = new SnapshotDocument.TargetRecord
            {
                Kind = "k0s",
                Description = "k0s",
                Path = "/elsewhere.conf",
                NodeIpInFile = null,
                Inputs = new() { Current = new() { Path = "/elsewhere.conf", Exists = false }, Files = [], Listings = [] },
            },
        }), "test");

        var e = Assert.Throws<SnapshotException>(() => new RecordedNode(document, OptionsLoader.LoadRecorded([], []).Detection, target));

        Assert.Contains("target.inputs.current.path", e.Message, StringComparison.Ordinal);
    }

    private const string Ipv4Route = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n";
    private const string Ipv6Route = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 20010db8000000000000000000000001 00000400 00000001 00000000 00000003 eth0\n";

    /// <summary>One detection over fakes, recorded, with what --print would say of it.</summary>
    private static async Task<(DesiredState Live, SnapshotDocument Document)> RecordAsync(K0sNodeIpOptions options)
    {
        var hostname = Substitute.For<IHostnameSource>();
        hostname.GetHostname().Returns("node1");
        var lookup = Substitute.For<IHostLookup>();
        lookup.LookupAsync("node1", Arg.Any<ITargetFiles>(), Arg.Any<CancellationToken>()).Returns(new HostLookupResult(LookupMethod.Dns, [IPAddress.Parse("2001:db8::5")], "no A record")
        {
            Resolver = new ResolverChoice(HostLookupOrder.DnsFiles, "nsswitch.conf: hosts: dns files"),
            Dns = new DnsLimits(TimeSpan.FromSeconds(2), "/etc/resolv.conf", 2, "Go's default", TimeSpan.FromSeconds(5), "the resolver's worst case plus 1 s"),
        });
        lookup.LookupAsync("gw.example.test", Arg.Any<ITargetFiles>(), Arg.Any<CancellationToken>()).Returns(new HostLookupResult(LookupMethod.Dns, [IPAddress.Parse("198.51.100.1")]));
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
        _ = recorder.Record(_ => KubeletBuild.K0s)(new TargetFileReader());
        var detected = await new NodeIpDetector(reader, options.Detection).DetectAsync(CancellationToken.None);
        var target = new SnapshotDocument.TargetRecord
        {
            Kind = "k0s",
            Description = "k0s drop-in for k0sworker.service",
            Path = "/etc/systemd/system/k0sworker.service.d/50-k0s-node-ip.conf",
            NodeIpInFile = null,
            PrimaryFamily = K0sSaysIpv6.Family.Name(),
            PrimaryFamilySource = K0sSaysIpv6.Origin,
        };
        var live = DesiredPair.Compute(detected, null, () => K0sSaysIpv6, grace: null);
        var document = SnapshotCapture.Build(recorder, detected.Snapshot, options, target, JsonReport.Render(live), TextReport.Render(live), null, DateTimeOffset.UnixEpoch);
        return (live, document);
    }
}

using System.Net;
using System.Text.Json;
using K0sNodeIp.Capture;
using K0sNodeIp.Check;
using K0sNodeIp.Configuration;
using K0sNodeIp.Detection;
using K0sNodeIp.Node;
using K0sNodeIp.Report;
using K0sNodeIp.Sources;
using NSubstitute;
using static K0sNodeIp.Tests.Support.Snapshots;

namespace K0sNodeIp.Tests.Detection;

/// <summary>
/// A cgo kubelet that hands the node name to glibc, beside the static kubelet (upstream 1.38+, Go's resolver) an
/// upgrade brings: the same policy runs over the Go lookup's answers, and --print, --check and a replayed snapshot
/// name both pairs when they differ.
/// </summary>
public sealed class StaticKubeletUpgradeTests
{
    private static readonly PrimaryFamilyChoice Ipv4First = new(IpFamily.IPv4, "default");

    // myhostname (through glibc) answers with eth1's address; Go's resolver finds nothing, so the default route decides.
    private static readonly HostLookupResult Glibc = new(LookupMethod.Getaddrinfo, [IPAddress.Parse("198.51.100.7")])
    {
        Resolver = new ResolverChoice(HostLookupOrder.Glibc, "kubelet /usr/bin/kubelet is dynamically linked (built with cgo): glibc's getaddrinfo"),
    };

    private static readonly HostLookupResult Go = new(LookupMethod.Dns, [], "node1: no such host (NXDOMAIN)")
    {
        Resolver = new ResolverChoice(HostLookupOrder.FilesDns, "a static kubelet (upstream 1.38+): Go's resolver; nsswitch.conf's myhostname is not consulted"),
    };

    private const string Ipv4Route = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n";
    private const string Ipv6Route = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 20010db8000000000000000000000001 00000400 00000001 00000000 00000003 eth0\n";

    [Fact]
    public async Task Go_lookup_runs_the_same_policy_and_print_names_both_pairs()
    {
        var (desired, _) = await DetectAsync(new FakeLookup(Glibc, Go));

        Assert.Equal("--node-ip=198.51.100.7,2001:db8::5", desired.Pair.Flag);
        var upgrade = Assert.IsType<StaticKubeletOutlook>(desired.StaticKubelet);
        Assert.True(upgrade.Changes);
        Assert.Equal("192.0.2.5,2001:db8::5", upgrade.After.Value);
        const string note = "after an upgrade to a static kubelet (upstream 1.38+, Go's resolver) the pair would be 192.0.2.5,2001:db8::5 instead of 198.51.100.7,2001:db8::5";
        Assert.Equal(note, upgrade.Note);

        Assert.Contains("upgrade:\n  - " + note + "\n  - Go's lookup (dns): node1: no such host (NXDOMAIN)\n", TextReport.Render(desired).ReplaceLineEndings("\n"), StringComparison.Ordinal);
        var json = JsonDocument.Parse(JsonReport.Render(desired)).RootElement.GetProperty("staticKubelet");
        Assert.Equal("192.0.2.5,2001:db8::5", json.GetProperty("nodeIp").GetString());
        Assert.Equal("198.51.100.7,2001:db8::5", json.GetProperty("nodeIpNow").GetString());
        Assert.True(json.GetProperty("changes").GetBoolean());
        Assert.Equal(note, json.GetProperty("note").GetString());
        Assert.Equal("Go", json.GetProperty("lookup").GetProperty("resolver").GetString());
    }

    [Fact]
    public async Task Same_pair_after_the_upgrade_is_said_to_be_kept()
    {
        var go = new HostLookupResult(LookupMethod.HostsFile, [IPAddress.Parse("198.51.100.7")]) { Resolver = Go.Resolver };

        var (desired, _) = await DetectAsync(new FakeLookup(Glibc, go));

        var upgrade = Assert.IsType<StaticKubeletOutlook>(desired.StaticKubelet);
        Assert.False(upgrade.Changes);
        Assert.Equal("an upgrade to a static kubelet (upstream 1.38+, Go's resolver) keeps the pair 198.51.100.7,2001:db8::5", upgrade.Note);
    }

    [Fact]
    public async Task Without_a_static_kubelet_lookup_print_has_no_upgrade_part()
    {
        // A static kubelet, or a cgo one that Go's resolver serves: no second lookup, so nothing to show.
        var (desired, _) = await DetectAsync(new FakeLookup(Go, null));

        Assert.Null(desired.Detection.StaticKubeletDecision);
        Assert.Null(desired.StaticKubelet);
        Assert.DoesNotContain("upgrade", TextReport.Render(desired), StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(JsonReport.Render(desired)).RootElement.TryGetProperty("staticKubelet", out _));
    }

    [Fact]
    public async Task Snapshot_records_the_static_kubelet_lookup_and_its_replay_prints_the_same_note()
    {
        var (live, document) = await DetectAsync(new FakeLookup(Glibc, Go));

        var recorded = document.Lookups.Where(l => l.Name == "node1").ToArray();
        Assert.Equal([("getaddrinfo", false), ("dns", true)], recorded.Select(l => (l.Method, l.AsStaticKubelet)));
        var text = SnapshotFile.Serialize(document);
        Assert.Contains("\"asStaticKubelet\": true", text, StringComparison.Ordinal);

        var node = new RecordedNode(SnapshotFile.Parse(text, "test"), OptionsLoader.LoadRecorded([], ["--Target:Kind=kubeadm"]).Detection);
        var again = DesiredPair.Compute(await new NodeIpDetector(node.CreateReader(), OptionsLoader.LoadRecorded([], ["--Target:Kind=kubeadm"]).Detection).DetectAsync(CancellationToken.None), null, () => Ipv4First, grace: null);

        Assert.Equal(live.StaticKubelet!.Note, again.StaticKubelet?.Note);
        Assert.Equal(TextReport.Render(live), TextReport.Render(again));
        Assert.Equal(JsonReport.Render(live), JsonReport.Render(again));
    }

    [Fact]
    public void Check_names_both_pairs_in_text_and_json()
    {
        var outlook = new StaticKubeletOutlook(
            new NodeIpPair(IPAddress.Parse("198.51.100.7"), null, IpFamily.IPv4),
            new NodeIpPair(IPAddress.Parse("192.0.2.5"), null, IpFamily.IPv4),
            Go);
        var report = DriftComparison.Compare("198.51.100.7", new TargetReading("/etc/default/kubelet", true, "198.51.100.7"), [new KubeletProcess(42, "198.51.100.7", null)])
            with { StaticKubelet = outlook };

        Assert.Equal(DriftStatus.Agree, report.Status);
        Assert.Contains("upgrade:  after an upgrade to a static kubelet (upstream 1.38+, Go's resolver) the pair would be 192.0.2.5 instead of 198.51.100.7\n", CheckReport.RenderText(report), StringComparison.Ordinal);
        var json = JsonDocument.Parse(CheckReport.RenderJson(report)).RootElement.GetProperty("staticKubelet");
        Assert.Equal("192.0.2.5", json.GetProperty("nodeIp").GetString());
        Assert.Equal("198.51.100.7", json.GetProperty("nodeIpNow").GetString());
        Assert.Equal(outlook.Note, json.GetProperty("note").GetString());
    }

    /// <summary>One detection over fakes, recorded as --snapshot would.</summary>
    private static async Task<(DesiredState Desired, SnapshotDocument Document)> DetectAsync(IHostLookup lookup)
    {
        var options = OptionsLoader.LoadRecorded([], ["--Target:Kind=kubeadm"]);
        var hostname = Substitute.For<IHostnameSource>();
        hostname.GetHostname().Returns("node1");
        var interfaces = Substitute.For<INetworkInterfaces>();
        interfaces.Read().Returns([Lo(), Nic(2, "eth1", "198.51.100.7/24"), Nic(3, "eth0", "192.0.2.5/24", "2001:db8::5/64[permanent]")]);
        var recorder = new NodeRecorder();
        var reader = new SnapshotReader(
            hostname,
            recorder.Record(lookup),
            interfaces,
            recorder.Record(Substitute.For<ISourceAddressProbe>()),
            recorder.RecordRoutes(() => new RouteFileTexts(RouteTable.Ipv4File, Ipv4Route, RouteTable.Ipv6File, Ipv6Route)));
        var detected = await new NodeIpDetector(reader, options.Detection).DetectAsync(CancellationToken.None);
        var desired = DesiredPair.Compute(detected, null, () => Ipv4First, grace: null);
        var target = new SnapshotDocument.TargetRecord { Kind = "kubeadm", Description = "kubeadm", Path = "/etc/default/kubelet", NodeIpInFile = null, PrimaryFamily = "IPv4", PrimaryFamilySource = "default" };
        var document = SnapshotCapture.Build(recorder, detected.Snapshot, options, target, JsonReport.Render(desired), TextReport.Render(desired), null, DateTimeOffset.UnixEpoch);
        return (desired, document);
    }

    private sealed class FakeLookup(HostLookupResult asKubelet, HostLookupResult? asStaticKubelet) : IHostLookup
    {
        public Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken) =>
            Task.FromResult(asKubelet);

        public Task<HostLookupResult?> LookupAsStaticKubeletAsync(string name, HostLookupResult asKubelet, CancellationToken cancellationToken) =>
            Task.FromResult(asStaticKubelet);
    }
}

using K0sNodeIp.Agent;
using K0sNodeIp.Check;
using K0sNodeIp.Configuration;
using K0sNodeIp.Detection;
using K0sNodeIp.Metrics;
using K0sNodeIp.Node;
using K0sNodeIp.Reload;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace K0sNodeIp.Tests.Metrics;

/// <summary>The reporter attached to a real reconciler and reloader (systemd substituted), as Composition wires it.</summary>
public sealed class MetricsReporterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-metrics").FullName;
    private readonly ISystemdManager _systemd = Substitute.For<ISystemdManager>();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_795_000_000));

    public MetricsReporterTests() => _systemd.IsRunningAsync(default!, default).ReturnsForAnyArgs(true);

    [Fact]
    public async Task Each_reconcile_writes_the_pair_counters_drift_and_last_success()
    {
        _systemd.TryRestartUnitAsync(default!, default, default).ReturnsForAnyArgs(new JobResult("failed"), JobResult.Done);
        var (reconciler, reporter) = Create("192.0.2.10");

        var first = await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        Assert.Equal(ReconcileStatus.RestartFailed, first.Status);
        var text = File.ReadAllText(reporter.Path);
        Assert.Contains("k0s_node_ip_info{ipv4=\"192.0.2.10\",ipv6=\"2001:db8::10\",primary_family=\"IPv4\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_restart_failures_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_restarts_total 0\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("last_success", text, StringComparison.Ordinal);

        // The fake kubelet still runs with the old address: drift.
        Assert.Contains("\nk0s_node_ip_drift 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_kubelet_found 1\n", text, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(10));
        WriteKubelet("192.0.2.10,2001:db8::10");
        await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        text = File.ReadAllText(reporter.Path);
        Assert.Contains("\nk0s_node_ip_restarts_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_drift 0\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_last_success_timestamp_seconds 1795000010\n", text, StringComparison.Ordinal);
        Assert.Matches(@"\nk0s_node_ip_last_lookup_duration_seconds [0-9.eE-]+\n", text);

        // A new process (a daemon restart, the next --once) carries the counters on.
        var (again, _) = Create("192.0.2.10");
        await again.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        text = File.ReadAllText(reporter.Path);
        Assert.Contains("\nk0s_node_ip_restarts_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_restart_failures_total 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_is_compared_again_after_a_restart_once_the_new_kubelet_runs()
    {
        _systemd.TryRestartUnitAsync(default!, default, default).ReturnsForAnyArgs(JobResult.Done);
        var (reconciler, reporter) = Create();

        await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        Assert.Contains("\nk0s_node_ip_drift 1\n", File.ReadAllText(reporter.Path), StringComparison.Ordinal);

        // The unit restarted; its new kubelet comes up with the new pair a moment later.
        WriteKubelet("192.0.2.10,2001:db8::10");
        _time.Advance(MetricsReporter.RecompareAfterRestart[0]);
        Assert.True(Support.DaemonProcess.WaitFor(() => File.ReadAllText(reporter.Path).Contains("\nk0s_node_ip_drift 0\n", StringComparison.Ordinal), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Nothing_detected_counts_a_failed_detection_and_a_dry_run_writes_no_metrics()
    {
        var (reconciler, reporter) = Create(staticIpv4: null, staticIpv6: null);

        await reconciler.ReconcileAsync("test", dryRun: true, CancellationToken.None);
        Assert.False(File.Exists(reporter.Path));

        var result = await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        Assert.Equal(ReconcileStatus.NothingDetected, result.Status);
        var text = File.ReadAllText(reporter.Path);
        Assert.Contains("\nk0s_node_ip_detection_failures_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_check_status 3\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("k0s_node_ip_drift ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Unwritable_metrics_file_is_a_warning_not_a_failure()
    {
        var reporter = new MetricsReporter(Path.Combine(_dir, "missing", "k.prom"), null, _time, NullLogger.Instance);
        reporter.Write();
        Assert.False(File.Exists(reporter.Path));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void WriteKubelet(string nodeIp)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "proc", "4242")).FullName;
        File.WriteAllText(Path.Combine(dir, "comm"), "kubelet\n");
        File.WriteAllText(Path.Combine(dir, "status"), "Name:\tkubelet\nUid:\t0\t0\t0\t0\n");
        File.WriteAllText(Path.Combine(dir, "cmdline"), $"/usr/bin/kubelet\0--node-ip={nodeIp}\0");
    }

    [Fact]
    public void Counters_never_go_backwards_when_once_counts_beside_the_daemon()
    {
        var path = Path.Combine(_dir, "shared.prom");
        var daemon = new MetricsReporter(path, null, _time, NullLogger.Instance);
        daemon.Write();

        // --once, a separate process, restarts the unit and counts it in the same file.
        var once = new MetricsReporter(path, null, _time, NullLogger.Instance);
        once.Metrics.Restarted();
        once.Write();

        // The daemon's next write (a reconcile without a restart) keeps that count, and adds its own on top.
        daemon.Write();
        var afterDaemonWrite = Restarts(path);
        daemon.Metrics.Restarted();
        daemon.Write();

        Assert.Equal(1, afterDaemonWrite);
        Assert.Equal(2, Restarts(path));
    }

    private static long Restarts(string path) => PrometheusTextfile.CounterIn(File.ReadAllText(path), PrometheusTextfile.Restarts);

    private (Reconciler Reconciler, MetricsReporter Reporter) Create(string? staticIpv4 = "192.0.2.10", string? staticIpv6 = "2001:db8::10")
    {
        if (!Directory.Exists(Path.Combine(_dir, "proc")))
        {
            WriteKubelet("192.0.2.5");
        }

        var hostname = Substitute.For<IHostnameSource>();
        hostname.GetHostname().Returns("node1");
        var interfaces = Substitute.For<INetworkInterfaces>();
        interfaces.Read().Returns([]);
        var lookup = Substitute.For<IHostLookup>();
        lookup.LookupAsync(default!, default!, default).ReturnsForAnyArgs(new HostLookupResult(LookupMethod.HostsFile, [], "no such host"));
        var target = new TemplateFileTarget(Path.Combine(_dir, "node-ip"), "{nodeIpFlag}");
        var reader = new SnapshotReader(hostname, lookup, interfaces, Substitute.For<ISourceAddressProbe>(), () => RouteTable.Empty, readTarget: files => files.ReadTarget(target));
        var detection = new DetectionOptions { StaticIPv4 = staticIpv4, StaticIPv6 = staticIpv6 };
        var reloader = new UnitReloader(_systemd, new ReloadOptions { Attempts = 1, MinInterval = TimeSpan.Zero }, _time, NullLogger.Instance);
        var reconciler = new Reconciler(new NodeIpDetector(reader, detection), target, null, reloader, "kubelet", null, NullLogger.Instance);
        reloader.Completed += reconciler.OnReloadCompleted;
        var reporter = new MetricsReporter(Path.Combine(_dir, "k0s_node_ip.prom"), new DriftCheck(target, new KubeletProcessFinder(Path.Combine(_dir, "proc"))), _time, NullLogger.Instance);
        reconciler.Observer = reporter;
        return (reconciler, reporter);
    }
}

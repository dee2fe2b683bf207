using K0sNodeIp.Check;
using K0sNodeIp.Configuration;
using K0sNodeIp.Metrics;

namespace K0sNodeIp.Tests.Metrics;

public sealed class PrometheusTextfileTests
{
    private static readonly MetricsSnapshot Sample = new(
        "192.0.2.10", "2001:db8::10", "IPv6", DriftStatus.Differ, true, DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_500), 0.0125, 3, 2, 1)
    {
        Reconciles = 12,
        Writes = 4,
    };

    [Fact]
    public void Renders_every_metric_with_help_type_and_values()
    {
        var text = PrometheusTextfile.Render(Sample);

        Assert.Contains("# TYPE k0s_node_ip_info gauge\nk0s_node_ip_info{ipv4=\"192.0.2.10\",ipv6=\"2001:db8::10\",primary_family=\"IPv6\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_drift 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_check_status 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_kubelet_found 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_last_success_timestamp_seconds 1795000000.5\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_last_lookup_duration_seconds 0.0125\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE k0s_node_ip_restarts_total counter\nk0s_node_ip_restarts_total 3\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_detection_failures_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_restart_failures_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE k0s_node_ip_reconciles_total counter\nk0s_node_ip_reconciles_total 12\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE k0s_node_ip_writes_total counter\nk0s_node_ip_writes_total 4\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);

        // Every sample line is "name{labels} value" with a conventional name, and has its HELP and TYPE.
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            var name = line.Split('{', ' ')[0];
            Assert.Matches("^k0s_node_ip_[a-z_]+$", name);
            Assert.Contains($"# HELP {name} ", text, StringComparison.Ordinal);
            Assert.Contains($"# TYPE {name} ", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Unknown_drift_leaves_the_drift_gauge_out_and_nothing_detected_leaves_info_out()
    {
        var text = PrometheusTextfile.Render(Sample with { Drift = DriftStatus.Unknown, Ipv4 = null, Ipv6 = null, PrimaryFamily = null, LastSuccess = null });

        Assert.DoesNotContain("k0s_node_ip_drift ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("k0s_node_ip_info", text, StringComparison.Ordinal);
        Assert.DoesNotContain("last_success", text, StringComparison.Ordinal);
        Assert.Contains("\nk0s_node_ip_check_status 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Single_stack_has_an_empty_label_and_label_values_are_escaped()
    {
        Assert.Contains("ipv6=\"\"", PrometheusTextfile.Render(Sample with { Ipv6 = null }), StringComparison.Ordinal);
        Assert.Equal("a\\\\b\\\"c\\n", PrometheusTextfile.Escape("a\\b\"c\n"));
    }

    [Fact]
    public void Counters_and_last_success_are_read_back_from_a_previous_file()
    {
        var previous = PrometheusTextfile.Render(Sample);
        var metrics = new AgentMetrics(previous);

        Assert.Equal(3, metrics.Snapshot.Restarts);
        Assert.Equal(2, metrics.Snapshot.DetectionFailures);
        Assert.Equal(1, metrics.Snapshot.RestartFailures);
        Assert.Equal(12, metrics.Snapshot.Reconciles);
        Assert.Equal(4, metrics.Snapshot.Writes);

        // One more reconcile that wrote, beside another process that counted two of its own meanwhile.
        metrics.Reconciled(wrote: true);
        var synced = metrics.SyncWith(PrometheusTextfile.Render(Sample with { Reconciles = 14, Writes = 4 }));
        Assert.Equal((15L, 5L), (synced.Reconciles, synced.Writes));
        Assert.Equal(Sample.LastSuccess, metrics.Snapshot.LastSuccess);
        Assert.Equal(0, new AgentMetrics("garbage\nk0s_node_ip_restarts_total -4\n").Snapshot.Restarts);
    }

    [Fact]
    public void Textfile_path_defaults_to_node_exporters_folder_only_when_it_exists_and_is_validated()
    {
        Assert.Equal("/var/lib/node_exporter/textfile_collector/k0s_node_ip.prom", new MetricsOptions().EffectiveTextfilePath(_ => true));
        Assert.Null(new MetricsOptions().EffectiveTextfilePath(_ => false));
        // Debian's and Ubuntu's prometheus-node-exporter read /var/lib/prometheus/node-exporter (issue 32).
        Assert.Equal("/var/lib/prometheus/node-exporter/k0s_node_ip.prom", new MetricsOptions().EffectiveTextfilePath(d => d == "/var/lib/prometheus/node-exporter"));
        Assert.Null(new MetricsOptions { TextfilePath = "" }.EffectiveTextfilePath(_ => true));

        Assert.Equal("/tmp/x.prom", OptionsLoader.Load(null, ["--Metrics:TextfilePath=/tmp/x.prom"]).Metrics.EffectiveTextfilePath());
        Assert.Contains("must be an absolute path", Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(null, ["--Metrics:TextfilePath=x.prom"])).Message, StringComparison.Ordinal);
        Assert.Contains("ending in .prom", Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(null, ["--Metrics:TextfilePath=/tmp/x.txt"])).Message, StringComparison.Ordinal);
        Assert.Contains("Metrics:Textfile", Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(null, ["--Metrics:Textfile=/tmp/x.prom"])).Message, StringComparison.Ordinal);
    }
}

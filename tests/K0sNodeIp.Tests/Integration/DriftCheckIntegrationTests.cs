using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// --check and the metrics file, run as the real program in a network namespace and in a PID namespace of its own
/// (so /proc shows only the stand-in kubelet started beside it: a copy of /bin/bash renamed kubelet, whose argv
/// carries --node-ip as a real kubelet's does), and the metrics scraped from a real prometheus-node-exporter.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class DriftCheckIntegrationTests : IDisposable
{
    private const string Pair = "192.0.2.10,2001:db8::10";
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-check").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [RootFact]
    public void Check_compares_detection_target_and_running_kubelet_and_writes_nothing()
    {
        using var node = TestNode.DualStack();
        node.StartDns("node1," + Pair);
        var target = Path.Combine(_dir, "kubelet.env");
        string[] settings = ["--Detection:Hostname=node1", "--Target:Kind=file", $"--Target:Path={target}", "--Metrics:TextfilePath="];

        // No file yet: the file has no --node-ip, detection gives the pair.
        var (code, json, _) = Run(node, null, ["--check", "--json", .. settings]);
        Assert.Equal(1, code);
        Assert.Equal("drift", json.GetProperty("status").GetString());
        Assert.Contains($"has no --node-ip, detection gives --node-ip={Pair}", json.GetProperty("differences")[0].GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(target), "--check wrote the target");

        Assert.Equal(0, RunRaw(node, null, ["--once", .. settings]).ExitCode);
        var written = File.GetLastWriteTimeUtc(target);

        // No kubelet running: detection and the file are compared, and it says the kubelet was not found.
        (code, json, _) = Run(node, null, ["--check", "--json", .. settings]);
        Assert.Equal(0, code);
        Assert.False(json.GetProperty("kubeletFound").GetBoolean());
        Assert.Contains("kubelet not found", json.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // A kubelet started before the change: drift, naming its PID and its --node-ip.
        (code, json, _) = Run(node, "192.0.2.5", ["--check", "--json", .. settings]);
        Assert.Equal(1, code);
        var kubelet = Assert.Single(json.GetProperty("kubelets").EnumerateArray().ToList());
        Assert.Equal("192.0.2.5", kubelet.GetProperty("nodeIp").GetString());
        Assert.Contains($"(PID {kubelet.GetProperty("pid").GetInt32()}", json.GetProperty("differences")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains($"was started with --node-ip=192.0.2.5, {target} has --node-ip={Pair}", json.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // A kubelet running with the pair: all three agree. Plain text: the summary line first.
        var text = RunRaw(node, Pair, ["--check", .. settings]);
        Assert.Equal(0, text.ExitCode);
        Assert.StartsWith($"OK: detection, {target} and the running kubelet agree on --node-ip={Pair}", text.Stdout, StringComparison.Ordinal);

        Assert.Equal(written, File.GetLastWriteTimeUtc(target));
        Assert.Equal($"--node-ip={Pair}\n", File.ReadAllText(target));

        // A target that cannot be read (a folder): cannot tell.
        (code, json, _) = Run(node, null, ["--check", "--json", "--Detection:Hostname=node1", "--Target:Kind=file", $"--Target:Path={_dir}", "--Metrics:TextfilePath="]);
        Assert.Equal(3, code);
        Assert.Equal("unknown", json.GetProperty("status").GetString());
        Assert.False(json.GetProperty("target").GetProperty("readable").GetBoolean());

        Assert.Equal(2, RunRaw(node, null, ["--check", "--once", .. settings]).ExitCode);
    }

    [RootFact]
    public void Check_with_nothing_detected_cannot_tell()
    {
        using var node = new TestNode();
        var target = Path.Combine(_dir, "kubelet.env");
        File.WriteAllText(target, $"--node-ip={Pair}\n");

        var (code, json, _) = Run(node, Pair, ["--check", "--json", "--Detection:Hostname=node1", "--Target:Kind=file", $"--Target:Path={target}", "--Metrics:TextfilePath="]);

        Assert.Equal(3, code);
        Assert.Null(json.GetProperty("detected").GetString());
        Assert.StartsWith("UNKNOWN: detection found no address", json.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Metrics_reach_a_real_node_exporter_with_the_right_values()
    {
        using var node = TestNode.DualStack();
        node.StartDns("node1," + Pair);
        var collector = Directory.CreateDirectory(Path.Combine(_dir, "textfile")).FullName;
        var prom = Path.Combine(collector, "k0s_node_ip.prom");
        string[] settings =
        [
            "--Detection:Hostname=node1", "--Target:Kind=file", $"--Target:Path={Path.Combine(_dir, "kubelet.env")}", "--Target:Unit=kubelet",
            "--Reload:Attempts=1", $"--Reload:StateFile={Path.Combine(_dir, "state.json")}", $"--Metrics:TextfilePath={prom}",
        ];

        // No systemd answers in the node: the file is written, its restart fails (75), and that is counted.
        Assert.Equal(75, RunRaw(node, null, ["--once", .. settings]).ExitCode);
        Assert.DoesNotContain("last_success", File.ReadAllText(prom), StringComparison.Ordinal);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

        // The next run, with restarts off, finds the file right (the owed restart is not attempted): a successful reconcile.
        Assert.Equal(0, RunRaw(node, null, ["--once", .. settings, "--Reload:Mode=none"]).ExitCode);
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

        var port = FreePort();
        using var exporter = new DaemonProcess("/usr/bin/prometheus-node-exporter",
        [
            $"--web.listen-address=127.0.0.1:{port}", "--collector.disable-defaults", "--collector.textfile",
            $"--collector.textfile.directory={collector}",
        ]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var metrics = await ScrapeAsync(http, port);

        Assert.Equal(0, metrics["node_textfile_scrape_error"]);
        Assert.Equal(1, metrics["k0s_node_ip_info{ipv4=\"192.0.2.10\",ipv6=\"2001:db8::10\",primary_family=\"IPv4\"}"]);
        Assert.Equal(0, metrics["k0s_node_ip_drift"]);
        Assert.Equal(0, metrics["k0s_node_ip_check_status"]);
        Assert.Equal(0, metrics["k0s_node_ip_kubelet_found"]);
        Assert.Equal(0, metrics["k0s_node_ip_restarts_total"]);
        Assert.Equal(1, metrics["k0s_node_ip_restart_failures_total"]);
        Assert.Equal(0, metrics["k0s_node_ip_detection_failures_total"]);
        Assert.InRange(metrics["k0s_node_ip_last_success_timestamp_seconds"], before - 1, after + 1);
        Assert.InRange(metrics["k0s_node_ip_last_lookup_duration_seconds"], 1e-6, 30);

        // --check beside a kubelet still running with an old address: drift 1, read at the next scrape.
        Assert.Equal(1, RunRaw(node, "192.0.2.5", ["--check", .. settings]).ExitCode);
        metrics = await ScrapeAsync(http, port);
        Assert.Equal(1, metrics["k0s_node_ip_drift"]);
        Assert.Equal(1, metrics["k0s_node_ip_check_status"]);
        Assert.Equal(1, metrics["k0s_node_ip_kubelet_found"]);
        Assert.Equal(1, metrics["k0s_node_ip_restart_failures_total"]);
        Assert.InRange(metrics["k0s_node_ip_last_success_timestamp_seconds"], before - 1, after + 1);
        Assert.Equal([prom], Directory.GetFiles(collector));
    }

    private static async Task<Dictionary<string, double>> ScrapeAsync(HttpClient http, int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                var body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
                var samples = new Dictionary<string, double>();
                foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
                {
                    var at = line.LastIndexOf(' ');
                    samples[line[..at]] = double.Parse(line[(at + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                }

                return samples;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private (int ExitCode, JsonElement Json, string Stderr) Run(TestNode node, string? kubeletNodeIp, string[] args)
    {
        var result = RunRaw(node, kubeletNodeIp, args);
        try
        {
            return (result.ExitCode, JsonDocument.Parse(result.Stdout).RootElement.Clone(), result.Stderr);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"exit {result.ExitCode}, not JSON: {result.Stdout}\n{result.Stderr}", e);
        }
    }

    /// <summary>
    /// Runs the program in the node and a new PID namespace with its own /proc; with <paramref name="kubeletNodeIp"/>,
    /// a stand-in kubelet started with --node-ip=that runs beside it.
    /// </summary>
    private ProcessRunner.Result RunRaw(TestNode node, string? kubeletNodeIp, string[] args)
    {
        var kubelet = Path.Combine(_dir, "bin", "kubelet");
        if (!File.Exists(kubelet))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(kubelet)!);
            File.Copy("/bin/bash", kubelet);
        }

        var program = string.Join(' ', ProgramUnderTest.Command.Concat(args).Select(Quote));
        var script = kubeletNodeIp is null
            ? $"exec {program}"
            : $"{Quote(kubelet)} -c 'sleep 60; :' kubelet --config=/var/lib/kubelet/config.yaml {Quote("--node-ip=" + kubeletNodeIp)} & "
              + "while ! cat /proc/[0-9]*/comm 2>/dev/null | grep -qx kubelet; do sleep 0.05; done; "
              + $"{program}; code=$?; kill $!; exit $code";
        return ProcessRunner.Run("ip", ["netns", "exec", node.Name, "unshare", "--pid", "--fork", "--mount-proc", "sh", "-c", script], check: false, timeout: TimeSpan.FromSeconds(60));
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

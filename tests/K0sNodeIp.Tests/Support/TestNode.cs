using System.Text.Json;
using System.Text.Json.Nodes;

namespace K0sNodeIp.Tests.Support;

/// <summary>
/// A test node: a network namespace with its own /etc/hosts and /etc/resolv.conf (through
/// /etc/netns/NAME), veth links to the host, and optionally a dnsmasq on its loopback.
/// </summary>
public sealed class TestNode : IDisposable
{
    private readonly List<string> _hostLinks = [];
    private readonly List<Action> _cleanups = [];
    private readonly string _etc;
    private string? _dnsmasqPid;

    public TestNode(string hosts = "127.0.0.1 localhost\n", string resolvConf = "nameserver 127.0.0.1\n")
    {
        Name = "k0snip-" + Guid.NewGuid().ToString("N")[..8];
        _etc = Path.Combine("/etc/netns", Name);
        Directory.CreateDirectory(_etc);
        File.WriteAllText(Path.Combine(_etc, "hosts"), hosts);
        File.WriteAllText(Path.Combine(_etc, "resolv.conf"), resolvConf);
        ProcessRunner.Run("ip", "netns", "add", Name);
        Exec("ip", "link", "set", "lo", "up");
    }

    public string Name { get; }

    /// <summary>
    /// The usual test node: eth0 with 192.0.2.5 then .10, and 2001:db8::5 listed before ::10 (IPv6 addresses
    /// are listed newest first), behind IPv4 and IPv6 default routes.
    /// </summary>
    public static TestNode DualStack(string hosts = "127.0.0.1 localhost\n", string resolvConf = "nameserver 127.0.0.1\n")
    {
        var node = new TestNode(hosts, resolvConf);
        node.AddLink("eth0");
        node.Ip("addr", "add", "192.0.2.5/24", "dev", "eth0");
        node.Ip("addr", "add", "192.0.2.10/24", "dev", "eth0");
        node.Ip("-6", "addr", "add", "2001:db8::10/64", "dev", "eth0", "nodad");
        node.Ip("-6", "addr", "add", "2001:db8::5/64", "dev", "eth0", "nodad");
        node.Ip("route", "add", "default", "via", "192.0.2.1");
        node.Ip("-6", "route", "add", "default", "via", "2001:db8::1");
        return node;
    }

    /// <summary>
    /// Adds a veth pair whose inner end is named <paramref name="device"/>, both ends up; with <paramref name="carrier"/>
    /// false the host end stays down, so the inner end is up but has no carrier (NO-CARRIER, IFF_LOWER_UP clear).
    /// </summary>
    public void AddLink(string device, bool carrier = true)
    {
        var hostEnd = "kn" + Guid.NewGuid().ToString("N")[..10];
        ProcessRunner.Run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", device, "netns", Name);
        _hostLinks.Add(hostEnd);
        if (carrier)
        {
            ProcessRunner.Run("ip", "link", "set", hostEnd, "up");
        }

        Exec("ip", "link", "set", device, "up");
    }

    /// <summary>
    /// Adds a persistent tun device (link type none, point-to-point, as tailscale0 or a VPN's tun0), up; with no
    /// program attached it has no carrier. It goes with the namespace. (This kernel refuses "ip link add X type tun".)
    /// </summary>
    public void AddTun(string device)
    {
        Exec("ip", "tuntap", "add", "dev", device, "mode", "tun");
        Exec("ip", "link", "set", device, "up");
    }

    public void Ip(params string[] args) => Exec(["ip", .. args]);

    /// <summary>Gives the node its own /etc/<paramref name="file"/> (bind-mounted by "ip netns exec").</summary>
    public void WriteEtc(string file, string content) => File.WriteAllText(Path.Combine(_etc, file), content);

    /// <summary>Runs <paramref name="cleanup"/> when the node is disposed.</summary>
    public void OnDispose(Action cleanup) => _cleanups.Add(cleanup);

    public ProcessRunner.Result Exec(params string[] command) => ProcessRunner.Run("ip", ["netns", "exec", Name, .. command]);

    /// <summary>Starts dnsmasq on 127.0.0.1 inside the node; each record is "name,address[,address]".</summary>
    public void StartDns(params string[] hostRecords)
    {
        // Not under /etc/netns/NAME: "ip netns exec" bind-mounts every file there over /etc.
        _dnsmasqPid = Path.Combine(Path.GetTempPath(), Name + "-dnsmasq.pid");
        var args = new List<string>
        {
            "netns", "exec", Name, "dnsmasq", "--no-resolv", "--no-hosts", "--listen-address=127.0.0.1", "--bind-interfaces",
            "--port=53", $"--pid-file={_dnsmasqPid}", "--user=root", "--group=root",

            // Answer NXDOMAIN for every name it has no record of, instead of REFUSED for want of upstreams.
            "--address=/#/",
        };
        args.AddRange(hostRecords.Select(r => $"--host-record={r}"));
        ProcessRunner.Run("ip", args);
    }

    /// <summary>Stops the node's dnsmasq and starts it again with other records (a DNS record that moved).</summary>
    public void RestartDns(params string[] hostRecords)
    {
        StopDns();
        StartDns(hostRecords);
    }

    /// <summary>Stops the node's dnsmasq (a DNS outage: nothing listens on port 53 any more).</summary>
    public void StopDns()
    {
        if (_dnsmasqPid is not null && File.Exists(_dnsmasqPid))
        {
            var pid = File.ReadAllText(_dnsmasqPid).Trim();
            ProcessRunner.Run("kill", [pid], check: false);
            DaemonProcess.WaitFor(() => !Directory.Exists($"/proc/{pid}"), TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>
    /// Runs --print --json inside the node under <paramref name="hostname"/>; returns the exit code and the JSON. Every
    /// scenario doubles as a snapshot test: see <see cref="AssertSnapshotReplays"/>.
    /// </summary>
    public (int ExitCode, JsonElement Json, string Stderr) Print(string hostname, params string[] extraArgs)
    {
        var live = PrintLive(hostname, extraArgs);
        AssertSnapshotReplays(hostname, live.ExitCode, live.Json, extraArgs);
        return live;
    }

    /// <summary>--print --json inside the node, nothing else (for tests that time it).</summary>
    public (int ExitCode, JsonElement Json, string Stderr) PrintLive(string hostname, params string[] extraArgs)
    {
        var result = RunAs(hostname, ["--print", "--json", .. extraArgs]);
        if (result.ExitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"--print exited {result.ExitCode}: {result.Stderr}");
        }

        return (result.ExitCode, JsonDocument.Parse(result.Stdout).RootElement.Clone(), result.Stderr);
    }

    /// <summary>
    /// Takes a --snapshot inside the node with the same settings, replays it with --print --from-snapshot outside the
    /// node, in an empty network namespace under another hostname, and asserts the replay prints what the node printed
    /// live (exit code and JSON) and what the snapshot itself recorded. TEST_SAVE_SNAPSHOTS=DIR keeps each snapshot,
    /// named after the test (NAME.json, NAME-2.json for a theory's later cases; start from an empty folder).
    /// </summary>
    public void AssertSnapshotReplays(string hostname, int liveExitCode, JsonElement live, params string[] extraArgs)
    {
        var taken = RunAs(hostname, ["--snapshot", "-", "--with-target-files", .. extraArgs]);
        Assert.True(taken.ExitCode == 0, $"--snapshot exited {taken.ExitCode}: {taken.Stderr}");
        var file = Path.Combine(Path.GetTempPath(), Name + "-snapshot.json");
        File.WriteAllText(file, taken.Stdout);
        try
        {
            if (Environment.GetEnvironmentVariable("TEST_SAVE_SNAPSHOTS") is { Length: > 0 } keep)
            {
                Directory.CreateDirectory(keep);
                var scenario = ScenarioName();
                var number = 1;
                while (File.Exists(Path.Combine(keep, number == 1 ? $"{scenario}.json" : $"{scenario}-{number}.json")))
                {
                    number++;
                }

                File.Copy(file, Path.Combine(keep, number == 1 ? $"{scenario}.json" : $"{scenario}-{number}.json"));
            }

            var replay = ProcessRunner.Run(
                "unshare", ["--net", "--uts", "sh", "-c", $"hostname replay-host && exec {Command(["--print", "--json", "--from-snapshot", file])}"], check: false);
            Assert.True(replay.ExitCode == liveExitCode, $"the replay exited {replay.ExitCode}, the node {liveExitCode}: {replay.Stderr}");
            var replayed = JsonNode.Parse(replay.Stdout);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(live.GetRawText()), replayed), $"the replay differs from the node's --print:\n{replay.Stdout}\nlive:\n{live.GetRawText()}");
            var recorded = JsonNode.Parse(taken.Stdout)!;
            Assert.True(JsonNode.DeepEquals(recorded["printed"], replayed), $"the replay differs from the snapshot's own printed:\n{replay.Stdout}");

            // The text form as well, against the text --print gave in the same detection on the node.
            var text = ProcessRunner.Run("unshare", ["--net", .. ProgramUnderTest.Command, "--print", "--from-snapshot", file], check: false);
            Assert.Equal(recorded["printedText"]!.GetValue<string>(), text.Stdout);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The test method that built this node: the first caller outside the support classes.</summary>
    private static string ScenarioName() =>
        new System.Diagnostics.StackTrace().GetFrames()
            .Select(f => f.GetMethod())
            .FirstOrDefault(m => m?.DeclaringType?.Namespace is { } ns && ns.StartsWith("K0sNodeIp.Tests.", StringComparison.Ordinal) && ns != typeof(TestNode).Namespace && m.IsPublic)
            ?.Name ?? "scenario";

    private ProcessRunner.Result RunAs(string hostname, IEnumerable<string> args) => ProcessRunner.Run(
        "ip", ["netns", "exec", Name, "unshare", "--uts", "sh", "-c", $"hostname {Quote(hostname)} && exec {Command(args)}"], check: false);

    private static string Command(IEnumerable<string> args) => string.Join(' ', ProgramUnderTest.Command.Concat(args).Select(Quote));

    /// <summary>
    /// Starts the agent inside the node under <paramref name="hostname"/>, with a metrics file of its own unless
    /// <paramref name="args"/> name one: its counters are what tests count the agent's reconciles and writes by.
    /// </summary>
    public DaemonProcess StartAgent(string hostname, params string[] args)
    {
        string? metrics = null;
        if (!args.Any(a => a.StartsWith("--Metrics:TextfilePath=", StringComparison.Ordinal)))
        {
            metrics = Path.Combine(Path.GetTempPath(), $"{Name}-agent-{Guid.NewGuid():N}.prom");
            args = [.. args, "--Metrics:TextfilePath=" + metrics];
            OnDispose(() => File.Delete(metrics));
        }

        var command = string.Join(' ', ProgramUnderTest.Command.Concat(args).Select(Quote));
        return new DaemonProcess("ip", ["netns", "exec", Name, "unshare", "--uts", "sh", "-c", $"hostname {Quote(hostname)} && exec {command}"], metrics);
    }

    public void Dispose()
    {
        foreach (var cleanup in _cleanups)
        {
            cleanup();
        }

        if (_dnsmasqPid is not null && File.Exists(_dnsmasqPid))
        {
            ProcessRunner.Run("kill", [File.ReadAllText(_dnsmasqPid).Trim()], check: false);
            File.Delete(_dnsmasqPid);
        }

        ProcessRunner.Run("ip", ["netns", "del", Name], check: false);
        foreach (var link in _hostLinks)
        {
            ProcessRunner.Run("ip", ["link", "del", link], check: false);
        }

        Directory.Delete(_etc, recursive: true);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

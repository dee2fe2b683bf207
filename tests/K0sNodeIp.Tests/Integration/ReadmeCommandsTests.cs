using System.Text.RegularExpressions;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// The README's operator commands, run as written (issue 32) on a real systemd with a k0s worker, against the packages
/// packaging/build-packages makes of this tree: the install and check lines, and the fleet rollout's watch-only start.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class ReadmeCommandsTests
{
    private const string Pair = "--node-ip=192.0.2.10,2001:db8::10";
    private const string DropIn = "/etc/systemd/system/k0sworker.service.d/50-k0s-node-ip.conf";

    [RootFact]
    public void Install_and_check_lines_run_as_written_against_the_built_packages()
    {
        var blocks = ReadmeCommands.Blocks("## Install, check, uninstall");
        Assert.Equal(2, blocks.Count);
        var install = blocks[0];
        Assert.StartsWith("packaging/build-packages ", install[0], StringComparison.Ordinal);

        // The build names its packages as the install line's globs expect: each glob matches exactly one package of this version.
        var built = Directory.GetFiles(Path.GetDirectoryName(Packages.Deb(Packages.CurrentVersion))!).Select(Path.GetFileName).ToList();
        var globs = ArtifactGlob().Matches(string.Join('\n', install.Skip(1))).Select(m => m.Value.Replace("artifacts/packages/", string.Empty, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, globs.Count);
        foreach (var glob in globs)
        {
            Assert.Single(built, name => ReadmeCommands.GlobMatches(glob, name!));
        }

        using var node = WorkerNode();
        foreach (var package in built)
        {
            node.CopyIn(Path.Combine(Path.GetDirectoryName(Packages.Deb(Packages.CurrentVersion))!, package!), "/root/artifacts/packages/" + package);
        }

        foreach (var line in install.Skip(1))
        {
            Run(node, line, expectedExit: 0);
        }

        Assert.True(DaemonProcess.WaitFor(() => K0sStandIn.Starts(node).Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());
        Assert.Contains("--kubelet-extra-args=" + Pair, K0sStandIn.Starts(node)[1]);

        var check = blocks[1];
        Assert.Contains(check, l => l.StartsWith("k0s-node-ip --print", StringComparison.Ordinal));
        foreach (var line in check)
        {
            var result = Run(node, line, expectedExit: 0);
            if (line.StartsWith("k0s-node-ip --print", StringComparison.Ordinal))
            {
                Assert.StartsWith(Pair + "\n", result.Stdout, StringComparison.Ordinal);
            }
            else if (line.StartsWith("systemctl cat k0sworker", StringComparison.Ordinal))
            {
                Assert.Contains("# " + DropIn, result.Stdout, StringComparison.Ordinal);
            }
        }
    }

    [RootFact]
    public void Fleet_rollout_watches_first_then_restarts_the_worker_once_when_enabled_as_written()
    {
        var blocks = ReadmeCommands.Blocks("### Rolling out to a fleet: watch first, then enable group by group");
        Assert.Equal(3, blocks.Count);
        using var node = WorkerNode();
        // Debian's prometheus-node-exporter makes its textfile folder; the packaged unit writes there with no step of the operator's.
        node.Exec("mkdir", "-p", "/var/lib/prometheus/node-exporter");
        var deb = Packages.Deb(Packages.CurrentVersion);
        node.CopyIn(deb, "/root/" + Path.GetFileName(deb));
        const string Prom = "/var/lib/prometheus/node-exporter/k0s_node_ip.prom";

        // 1. Restarts off before the package, then the package.
        foreach (var line in blocks[0])
        {
            Run(node, line, expectedExit: 0);
        }

        // Positive evidence that the agent reconciled and compared: its metrics after the write show the drift, no restart.
        Assert.True(DaemonProcess.WaitFor(() => node.ReadFile(Prom) is { } text && text.Contains("\nk0s_node_ip_drift 1\n", StringComparison.Ordinal)
            && text.Contains("\nk0s_node_ip_kubelet_found 1\n", StringComparison.Ordinal), TimeSpan.FromSeconds(30)), node.ReadFile(Prom) + node.AgentJournal());
        Assert.Contains("\nk0s_node_ip_restarts_total 0\n", node.ReadFile(Prom), StringComparison.Ordinal);
        Assert.Contains(Pair, node.ReadFile(DropIn), StringComparison.Ordinal);
        Assert.Single(K0sStandIn.Starts(node));

        // 2. What would change: --check says the kubelet differs (exit 1), the metrics say so too.
        var check = Run(node, blocks[1][0], expectedExit: 0);
        Assert.Contains("exit 1", check.Stdout, StringComparison.Ordinal);
        var metrics = Run(node, blocks[1][1], expectedExit: 0);
        Assert.Contains("k0s_node_ip_drift 1\n", metrics.Stdout, StringComparison.Ordinal);
        Assert.Contains("k0s_node_ip_info{ipv4=\"192.0.2.10\",ipv6=\"2001:db8::10\",primary_family=\"IPv4\"} 1", metrics.Stdout, StringComparison.Ordinal);

        // 3. Enabled: the worker restarts once, with the pair, and then agrees.
        foreach (var line in blocks[2])
        {
            Run(node, line, expectedExit: 0);
        }

        Assert.True(DaemonProcess.WaitFor(() => K0sStandIn.Starts(node).Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());
        Assert.Contains("--kubelet-extra-args=" + Pair, K0sStandIn.Starts(node)[1]);
        ProcessRunner.Result agreed = null!;
        Assert.True(DaemonProcess.WaitFor(() => (agreed = node.TryExec("k0s-node-ip", "--check", "--Metrics:TextfilePath=")).ExitCode == 0, TimeSpan.FromSeconds(20)), agreed.Stdout + agreed.Stderr);
        node.AssertNothingMorePending();
        Assert.Equal(2, K0sStandIn.Starts(node).Count);
    }

    [RootFact]
    public void Watch_only_agent_installed_before_k0s_writes_the_drop_in_when_k0s_comes_and_restarts_nothing()
    {
        // An image or cloud-init installs the agent watch-only, then k0sctl installs and starts k0s: the agent still
        // restarts itself for the new drop-in folder (its own housekeeping, not a kubelet restart) and writes the pair.
        var blocks = ReadmeCommands.Blocks("### Rolling out to a fleet: watch first, then enable group by group");
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        var deb = Packages.Deb(Packages.CurrentVersion);
        node.CopyIn(deb, "/root/" + Path.GetFileName(deb));
        foreach (var line in blocks[0])
        {
            Run(node, line, expectedExit: 0);
        }

        K0sStandIn.Install(node);
        node.WriteFile("/etc/systemd/system/k0sworker.service", K0sStandIn.Unit("worker --token-file=/etc/k0s/k0stoken"));
        node.Exec("systemctl", "daemon-reload");
        node.Exec("systemctl", "enable", "--now", "k0sworker.service");

        Assert.True(DaemonProcess.WaitFor(() => node.ReadFile(DropIn)?.Contains(Pair, StringComparison.Ordinal) == true, TimeSpan.FromSeconds(30)), node.AgentJournal());
        // k0s started once: before the drop-in, or after it when its start was ordered behind the agent's own restart
        // (Before=k0sworker.service); either way the agent restarted nothing.
        node.AssertNothingMorePending();
        Assert.Single(K0sStandIn.Starts(node));
        Assert.Equal("active", node.TryExec("systemctl", "is-active", "k0sworker.service").Stdout.Trim());
    }

    [RootFact]
    public void Watch_only_node_keeps_its_worker_running_through_a_k0s_upgrade()
    {
        // k0sctl's upgrade rewrites the unit, daemon-reloads and restarts it before the agent's drop-in follows: the
        // drop-in's condition refuses that start, and the watch-only agent must still re-derive the drop-in and make it.
        var blocks = ReadmeCommands.Blocks("### Rolling out to a fleet: watch first, then enable group by group");
        using var node = WorkerNode();
        var deb = Packages.Deb(Packages.CurrentVersion);
        node.CopyIn(deb, "/root/" + Path.GetFileName(deb));
        foreach (var line in blocks[0])
        {
            Run(node, line, expectedExit: 0);
        }

        Assert.True(DaemonProcess.WaitFor(() => node.ReadFile(DropIn)?.Contains(Pair, StringComparison.Ordinal) == true, TimeSpan.FromSeconds(30)), node.AgentJournal());
        node.WriteFile("/etc/systemd/system/k0sworker.service", K0sStandIn.Unit("worker --token-file=/etc/k0s/k0stoken --debug"));
        node.Exec("systemctl", "daemon-reload");
        node.TryExec("systemctl", "restart", "k0sworker.service");

        Assert.True(DaemonProcess.WaitFor(() => K0sStandIn.Starts(node) is { Count: 2 } starts && starts[1].Contains("--debug") && starts[1].Contains("--kubelet-extra-args=" + Pair),
            TimeSpan.FromSeconds(30)), node.AgentJournal());
        Assert.Equal("active", node.TryExec("systemctl", "is-active", "k0sworker.service").Stdout.Trim());
    }

    /// <summary>A node whose k0s worker (the stand-in, with its kubelet child) runs without --node-ip.</summary>
    private static SystemdNode WorkerNode()
    {
        var node = new SystemdNode();
        try
        {
            node.AddDualStackNetwork();
            K0sStandIn.Install(node);
            node.WriteFile("/etc/systemd/system/k0sworker.service", K0sStandIn.Unit("worker --token-file=/etc/k0s/k0stoken"));
            node.Exec("systemctl", "daemon-reload");
            node.Exec("systemctl", "enable", "--now", "k0sworker.service");
            Assert.True(DaemonProcess.WaitFor(() => K0sStandIn.Starts(node).Count == 1, TimeSpan.FromSeconds(10)));
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>One README line, as written, in root's home folder of the node.</summary>
    private static ProcessRunner.Result Run(SystemdNode node, string line, int expectedExit)
    {
        var result = node.TryExec("sh", "-c", "cd /root && " + line);
        Assert.True(result.ExitCode == expectedExit, $"{line}\nexit {result.ExitCode}\n{result.Stdout}{result.Stderr}\n{node.AgentJournal()}");
        return result;
    }

    [GeneratedRegex(@"artifacts/packages/\S+")]
    private static partial Regex ArtifactGlob();
}

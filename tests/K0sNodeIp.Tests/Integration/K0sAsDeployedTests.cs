using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// k0s as operators install it, on a real systemd with the shipped unit and the package's default configuration:
/// a single-node controller (<c>k0s install controller --single</c>, k0s's quick start) and a controller that runs no
/// kubelet, with stand-in k0s units shaped as <c>k0s install</c> writes them. Each waits for positive evidence (a start
/// record, a journal line) before asserting what did not happen.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class K0sAsDeployedTests
{
    private const string ControllerUnit = "/etc/systemd/system/k0scontroller.service";
    private const string ControllerDropIn = "/etc/systemd/system/k0scontroller.service.d/50-k0s-node-ip.conf";
    private const string Pair = "--kubelet-extra-args=--node-ip=192.0.2.10,2001:db8::10";

    [RootFact]
    public void Single_node_controller_gets_the_pair_with_one_restart_and_check_finds_its_kubelet()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        K0sStandIn.Install(node);
        node.WriteFile(ControllerUnit, K0sStandIn.Unit("controller --data-dir=/var/lib/k0s --single=true"));
        node.Exec("systemctl", "daemon-reload");
        node.Exec("systemctl", "enable", "--now", "k0scontroller.service");
        Assert.True(DaemonProcess.WaitFor(() => Starts(node).Count == 1, TimeSpan.FromSeconds(10)));

        node.InstallAgent("K0SNODEIP_Reload__MinInterval=00:00:00", "K0SNODEIP_Watch__Debounce=00:00:00.5");

        Assert.True(DaemonProcess.WaitFor(() => Starts(node).Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());
        Assert.Contains(Pair, Starts(node)[1]);
        Assert.Contains("--node-ip=192.0.2.10,2001:db8::10", node.ReadFile(ControllerDropIn), StringComparison.Ordinal);
        Assert.Contains(node.AgentJournalLines(), l => l.Contains("k0scontroller runs this node's control plane as well as its kubelet", StringComparison.Ordinal));
        Assert.False(Directory.Exists(node.Root + "/etc/systemd/system/k0sworker.service.d"), "a drop-in folder for a unit that does not exist");
        node.AssertNothingMorePending();
        Assert.Equal(2, Starts(node).Count);

        // --check finds the kubelet under the controller's unit, started with the pair.
        ProcessRunner.Result check = null!;
        Assert.True(DaemonProcess.WaitFor(() => (check = node.TryExec("k0s-node-ip", "--check", "--json", "--Metrics:TextfilePath=")).ExitCode == 0, TimeSpan.FromSeconds(10)), check.Stdout + check.Stderr);
        var report = System.Text.Json.JsonDocument.Parse(check.Stdout).RootElement;
        Assert.Equal(ControllerDropIn, report.GetProperty("target").GetProperty("path").GetString());
        var kubelet = Assert.Single(report.GetProperty("kubelets").EnumerateArray());
        Assert.Equal("192.0.2.10,2001:db8::10", kubelet.GetProperty("nodeIp").GetString());
        Assert.Equal("root's, in k0scontroller.service", kubelet.GetProperty("trustedBecause").GetString());
    }

    [RootFact]
    public void Controller_without_a_worker_is_told_once_gets_nothing_and_is_followed_when_reinstalled_with_one()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        K0sStandIn.Install(node);
        node.WriteFile(ControllerUnit, K0sStandIn.Unit("controller --config=/etc/k0s/k0s.yaml"));
        node.Exec("systemctl", "daemon-reload");
        node.Exec("systemctl", "enable", "--now", "k0scontroller.service");

        node.InstallAgent("K0SNODEIP_Reload__MinInterval=00:00:00", "K0SNODEIP_Watch__Debounce=00:00:00.5");

        Assert.True(DaemonProcess.WaitFor(() => node.AgentStatusText().Contains("k0scontroller runs no kubelet on this node", StringComparison.Ordinal), TimeSpan.FromSeconds(20)), node.AgentJournal());
        node.Exec("systemctl", "reload", "k0s-node-ip");
        Assert.True(node.WaitForAgentJournal("k0scontroller still runs no kubelet"), node.AgentJournal());
        Assert.Single(node.AgentWarnings().Split('\n'), l => l.Contains("runs no kubelet", StringComparison.Ordinal));
        Assert.Null(node.ReadFile(ControllerDropIn));
        Assert.Single(Starts(node));

        // Reinstalled as controller+worker (k0s install controller --enable-worker --force): followed without a reload.
        node.WriteFile(ControllerUnit, K0sStandIn.Unit("controller --config=/etc/k0s/k0s.yaml --enable-worker=true"));
        Assert.True(DaemonProcess.WaitFor(() => node.ReadFile(ControllerDropIn)?.Contains("--node-ip=192.0.2.10,2001:db8::10", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(20)), node.AgentJournal());
    }

    [RootTheory]
    [InlineData(0)]
    [InlineData(12)]
    public void K0sctl_install_then_start_with_the_package_installed_first_starts_the_worker_once_with_the_pair(int gapSeconds)
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.WriteFile("/etc/systemd/system/k0s-node-ip.service.d/test.conf", "[Service]\nEnvironment=K0SNODEIP_Reload__MinInterval=00:00:00 K0SNODEIP_Watch__Debounce=00:00:01.5\n");
        node.CopyIn(Packages.Deb("0.1.0"), "/tmp/k0s-node-ip.deb");
        node.Exec("dpkg", "-i", "/tmp/k0s-node-ip.deb");
        Assert.True(DaemonProcess.WaitFor(() => node.AgentStatusText().Contains("k0sworker is not installed", StringComparison.Ordinal), TimeSpan.FromSeconds(20)), node.AgentJournal("k0sworker"));
        Assert.False(Directory.Exists(node.Root + "/etc/systemd/system/k0sworker.service.d"), "a drop-in folder for a unit that does not exist");
        Assert.False(Directory.Exists(node.Root + "/etc/systemd/system/k0scontroller.service.d"), "a drop-in folder for a unit that does not exist");

        // k0s install worker (the binary and the unit), then k0sctl's systemctl enable --now after the gap.
        K0sStandIn.Install(node);
        node.WriteFile("/etc/systemd/system/k0sworker.service", K0sStandIn.Unit("worker --token-file=/etc/k0s/k0stoken"));
        if (gapSeconds > 0)
        {
            Thread.Sleep(TimeSpan.FromSeconds(gapSeconds));
        }

        node.Exec("sh", "-c", "systemctl daemon-reload && systemctl enable --now k0sworker.service");

        Assert.True(DaemonProcess.WaitFor(() => Starts(node).Count == 1, TimeSpan.FromSeconds(30)), node.AgentJournal("k0sworker"));
        Assert.Contains(Pair, Starts(node)[0]);
        node.AssertNothingMorePending();
        Assert.Single(Starts(node));
        Assert.Equal("active", node.TryExec("systemctl", "is-active", "k0sworker").Stdout.Trim());

        // k0s reset: the unit goes, and the agent's drop-in with its folder (and the backup 0.3.0 kept beside the drop-in);
        // the agent runs on, waiting for the next install.
        node.WriteFile("/etc/systemd/system/k0sworker.service.d/50-k0s-node-ip.conf.k0s-node-ip.bak",
            "[Service]\nExecStart=\nExecStart=/usr/local/bin/k0s worker\nExecCondition=/bin/sh -c ': k0s-node-ip; exit 0'\n");
        node.Exec("sh", "-c", "systemctl disable --now k0sworker.service && rm /etc/systemd/system/k0sworker.service && systemctl daemon-reload");
        Assert.True(DaemonProcess.WaitFor(() => !Directory.Exists(node.Root + "/etc/systemd/system/k0sworker.service.d"), TimeSpan.FromSeconds(30)), node.AgentJournal("k0sworker"));
        Assert.True(DaemonProcess.WaitFor(() => node.AgentStatusText().Contains("k0sworker is not installed", StringComparison.Ordinal), TimeSpan.FromSeconds(20)), node.AgentJournal("k0sworker"));

        // k0sctl apply again in the same boot: the folder is made again (the agent restarts itself once more) and the
        // worker's first start after the reinstall carries the pair.
        node.WriteFile("/etc/systemd/system/k0sworker.service", K0sStandIn.Unit("worker --token-file=/etc/k0s/k0stoken"));
        node.Exec("sh", "-c", "systemctl daemon-reload && systemctl enable --now k0sworker.service");
        Assert.True(DaemonProcess.WaitFor(() => Starts(node).Count == 2, TimeSpan.FromSeconds(40)), node.AgentJournal("k0sworker"));
        Assert.Contains(Pair, Starts(node)[1]);
    }

    [RootFact]
    public void Controller_only_node_installed_and_started_at_once_is_started_by_the_agent_without_a_drop_in()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.WriteFile("/etc/systemd/system/k0s-node-ip.service.d/test.conf", "[Service]\nEnvironment=K0SNODEIP_Reload__MinInterval=00:00:00 K0SNODEIP_Watch__Debounce=00:00:01.5\n");
        node.CopyIn(Packages.Deb("0.1.0"), "/tmp/k0s-node-ip.deb");
        node.Exec("dpkg", "-i", "/tmp/k0s-node-ip.deb");
        Assert.True(DaemonProcess.WaitFor(() => node.AgentStatusText().Contains("k0sworker is not installed", StringComparison.Ordinal), TimeSpan.FromSeconds(20)), node.AgentJournal("k0scontroller"));

        K0sStandIn.Install(node);
        node.WriteFile(ControllerUnit, K0sStandIn.Unit("controller --config=/etc/k0s/k0s.yaml"));
        node.Exec("sh", "-c", "systemctl daemon-reload && systemctl enable --now k0scontroller.service");

        // Held or not (the agent may have read the unit first), the controller runs once, and nothing is written for it.
        Assert.True(DaemonProcess.WaitFor(() => Starts(node).Count == 1 && node.AgentStatusText().Contains("runs no kubelet", StringComparison.Ordinal), TimeSpan.FromSeconds(30)), node.AgentJournal("k0scontroller"));
        Assert.True(DaemonProcess.WaitFor(() => node.TryExec("systemctl", "is-active", "k0scontroller").Stdout.Trim() == "active", TimeSpan.FromSeconds(10)), node.AgentJournal("k0scontroller"));
        Assert.Null(node.ReadFile(ControllerDropIn));
        Assert.Single(Starts(node));
    }

    [RootFact]
    public void Controller_reinstalled_without_its_worker_loses_the_agents_drop_in_and_starts_with_its_own_command_line()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        K0sStandIn.Install(node);
        node.WriteFile(ControllerUnit, K0sStandIn.Unit("controller --config=/etc/k0s/k0s.yaml --enable-worker=true"));
        node.Exec("systemctl", "daemon-reload");
        node.Exec("systemctl", "enable", "--now", "k0scontroller.service");
        node.InstallAgent("K0SNODEIP_Reload__MinInterval=00:00:00", "K0SNODEIP_Watch__Debounce=00:00:00.5");
        Assert.True(DaemonProcess.WaitFor(() => Starts(node).Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());
        Assert.NotNull(node.ReadFile(ControllerDropIn));

        // k0s install controller --force without --enable-worker, then k0sctl's restart at once.
        node.WriteFile(ControllerUnit, K0sStandIn.Unit("controller --config=/etc/k0s/k0s.yaml"));
        node.Exec("sh", "-c", "systemctl daemon-reload && systemctl restart k0scontroller");

        Assert.True(DaemonProcess.WaitFor(() => Starts(node).Count == 3, TimeSpan.FromSeconds(30)), node.AgentJournal());
        Assert.Equal(["controller", "--config=/etc/k0s/k0s.yaml"], Starts(node)[2]);
        Assert.Null(node.ReadFile(ControllerDropIn));
        Assert.True(DaemonProcess.WaitFor(() => node.TryExec("systemctl", "is-active", "k0scontroller").Stdout.Trim() == "active", TimeSpan.FromSeconds(10)), node.AgentJournal());
        Assert.True(node.WaitForAgentJournal("runs no kubelet"), node.AgentJournal());
    }

    [RootFact]
    public void Once_with_a_unit_named_with_its_service_suffix_restarts_that_unit_with_the_pair()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        K0sStandIn.Install(node);
        node.WriteFile("/etc/systemd/system/k0sworker.service", K0sStandIn.Unit("worker --token-file=/etc/k0s/k0stoken"));
        node.Exec("systemctl", "daemon-reload");
        node.Exec("systemctl", "enable", "--now", "k0sworker.service");
        Assert.True(DaemonProcess.WaitFor(() => Starts(node).Count == 1, TimeSpan.FromSeconds(10)));
        node.CopyIn(Packages.Binary, "/usr/bin/k0s-node-ip");

        var once = node.TryExec("k0s-node-ip", "--once", "--Target:Unit=k0sworker.service", "--Metrics:TextfilePath=");

        Assert.True(once.ExitCode == 0, once.Stderr);
        Assert.True(DaemonProcess.WaitFor(() => Starts(node).Count == 2, TimeSpan.FromSeconds(10)), once.Stderr);
        Assert.Contains(Pair, Starts(node)[1]);
        Assert.NotNull(node.ReadFile("/etc/systemd/system/k0sworker.service.d/50-k0s-node-ip.conf"));
    }

    /// <summary>"k0s": starts a process named kubelet with the words of --kubelet-extra-args, as k0s does, and records each start.</summary>
    private static IReadOnlyList<IReadOnlyList<string>> Starts(SystemdNode node) => node.StartsOf("k0s");
}

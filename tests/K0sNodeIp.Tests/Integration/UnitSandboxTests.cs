using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>The unit's sandbox on a real systemd, seen from inside the running agent's own mount namespace.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class UnitSandboxTests
{
    private const string Worker = @"/usr/local/bin/stand-in worker --kubelet-extra-args=--max-pods=250";

    [RootFact]
    public void Running_agent_may_write_the_k0s_drop_in_folder_and_no_other_unit_nor_etc_default()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.InstallStandIn("k0sworker", Worker);
        node.CopyIn(Packages.Binary, "/usr/bin/k0s-node-ip");
        node.CopyIn(Path.Combine(Packages.RepositoryRoot, "systemd", "k0s-node-ip.service"), "/etc/systemd/system/k0s-node-ip.service");
        node.Exec("systemctl", "daemon-reload");
        var start = node.TryExec("systemctl", "start", "k0s-node-ip.service");
        Assert.True(start.ExitCode == 0, start.Stderr + node.TryExec("journalctl", "-u", "k0s-node-ip", "--no-pager").Stdout);
        Assert.True(DaemonProcess.WaitFor(() => node.TryExec("systemctl", "is-active", "k0s-node-ip").Stdout.Trim() == "active", TimeSpan.FromSeconds(30)),
            node.TryExec("journalctl", "-u", "k0s-node-ip", "--no-pager").Stdout);
        Assert.Contains("--node-ip=192.0.2.10,2001:db8::10", node.ReadFile("/etc/systemd/system/k0sworker.service.d/50-k0s-node-ip.conf"), StringComparison.Ordinal);
        var pid = node.Exec("systemctl", "show", "-p", "MainPID", "--value", "k0s-node-ip").Stdout.Trim();

        var dropIn = InAgentsView(node, pid, "touch /etc/systemd/system/k0sworker.service.d/probe && rm /etc/systemd/system/k0sworker.service.d/probe");
        var otherUnit = InAgentsView(node, pid, "touch /etc/systemd/system/evil.service");
        var grub = InAgentsView(node, pid, "touch /etc/default/grub");

        Assert.True(dropIn.ExitCode == 0, dropIn.Stderr);
        Assert.Contains("Read-only file system", otherUnit.Stderr, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", grub.Stderr, StringComparison.Ordinal);
        Assert.Equal("MemoryMax=268435456\nTasksMax=64", node.Exec("systemctl", "show", "-p", "MemoryMax", "-p", "TasksMax", "k0s-node-ip").Stdout.Trim());
    }

    [RootFact]
    public void Kubeadm_target_the_sandbox_refuses_is_ready_at_once_names_the_file_and_the_fix_and_the_documented_step_makes_it_work()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.WriteFile("/etc/default/kubelet", "KUBELET_EXTRA_ARGS=--max-pods=110\n");
        node.InstallStandIn("kubelet", "/usr/local/bin/stand-in $KUBELET_EXTRA_ARGS", extra: "EnvironmentFile=-/etc/default/kubelet");
        node.CopyIn(Packages.Binary, "/usr/bin/k0s-node-ip");
        node.CopyIn(Path.Combine(Packages.RepositoryRoot, "systemd", "k0s-node-ip.service"), "/etc/systemd/system/k0s-node-ip.service");
        node.WriteFile("/etc/systemd/system/k0s-node-ip.service.d/test.conf", "[Service]\nEnvironment=K0SNODEIP_Target__Kind=kubeadm K0SNODEIP_Reload__MinInterval=00:00:00\n");
        node.Exec("systemctl", "daemon-reload");
        node.Exec("systemctl", "start", "--no-block", "k0s-node-ip.service");

        // Ready well before TimeoutStartSec (120 s), so a kubelet ordered after the agent is not held back.
        Assert.True(DaemonProcess.WaitFor(() => node.TryExec("systemctl", "is-active", "k0s-node-ip").Stdout.Trim() == "active", TimeSpan.FromSeconds(20)), node.AgentJournal());
        Assert.True(DaemonProcess.WaitFor(() => Status(node).Contains("/etc/default/kubelet", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), Status(node));
        Assert.Contains("ReadWritePaths=/etc/default", Status(node), StringComparison.Ordinal);
        var refusal = Errors(node).Split('\n').First(l => l.Contains("cannot write /etc/default/kubelet", StringComparison.Ordinal));
        Assert.Contains("systemctl edit k0s-node-ip", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp.", refusal, StringComparison.Ordinal);
        Assert.Equal("KUBELET_EXTRA_ARGS=--max-pods=110\n", node.ReadFile("/etc/default/kubelet"));

        // The README's one step for the kubeadm target.
        node.WriteFile("/etc/systemd/system/k0s-node-ip.service.d/target.conf", "[Service]\nReadWritePaths=/etc/default\n");
        node.Exec("systemctl", "daemon-reload");
        node.Exec("systemctl", "restart", "k0s-node-ip");

        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("kubelet").Count == 2, TimeSpan.FromSeconds(20)), node.AgentJournal());
        Assert.Equal(["--max-pods=110", "--node-ip=192.0.2.10,2001:db8::10"], node.StartsOf("kubelet")[1]);
        Assert.DoesNotContain("stopped before a node IP was found", node.AgentJournal(), StringComparison.Ordinal);
    }

    private static string Status(SystemdNode node) => node.TryExec("systemctl", "show", "-p", "StatusText", "k0s-node-ip").Stdout;

    private static string Errors(SystemdNode node) => node.TryExec("journalctl", "-u", "k0s-node-ip", "-p", "err", "--no-pager", "-o", "cat").Stdout;

    /// <summary>A shell in the agent's mount namespace: the file system exactly as the sandbox gives it to the agent.</summary>
    private static ProcessRunner.Result InAgentsView(SystemdNode node, string pid, string script) =>
        node.TryExec("nsenter", "-t", pid, "-m", "-r", "sh", "-c", script);
}

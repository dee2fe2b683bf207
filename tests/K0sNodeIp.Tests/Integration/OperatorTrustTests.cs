using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// The agent as its hardened unit on a real systemd (a minimal Debian root, no procps), with a stand-in k0s worker:
/// a stopped worker stays stopped, reload works with nothing extra installed, a header-only change restarts
/// nothing, and a family in grace never puts a vanished address into the drop-in. Each waits for the agent to log
/// the event before asserting what did not happen.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class OperatorTrustTests
{
    private const string Worker = @"/usr/local/bin/stand-in worker --kubelet-extra-args=--v=2 --token-file=/etc/k0s/k0stoken";
    private const string DropIn = "/etc/systemd/system/k0sworker.service.d/50-k0s-node-ip.conf";

    [RootFact]
    public void Worker_the_operator_stopped_stays_stopped_and_starts_later_with_the_new_pair()
    {
        using var node = StartedNode();
        node.Exec("systemctl", "stop", "k0sworker");

        node.InNetwork("ip -6 addr add 2001:db8::20/64 dev eth0 nodad && ip -6 addr del 2001:db8::10/64 dev eth0", TimeSpan.FromSeconds(10));

        Assert.True(node.WaitForAgentJournal("k0sworker is not running; the new --node-ip applies when it starts"), node.AgentJournal());
        Assert.Equal("inactive", node.TryExec("systemctl", "is-active", "k0sworker").Stdout.Trim());
        Assert.Equal(2, node.StartsOf("k0sworker").Count);
        Assert.Contains("--node-ip=192.0.2.10,2001:db8::20", node.ReadFile(DropIn), StringComparison.Ordinal);

        // The operator starts it: the drop-in was daemon-reloaded, so the new pair is what it gets.
        node.Exec("systemctl", "start", "k0sworker");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 3, TimeSpan.FromSeconds(10)));
        Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=192.0.2.10,2001:db8::20", node.StartsOf("k0sworker")[2]);
    }

    [RootFact]
    public void Systemctl_reload_works_without_procps_and_triggers_a_detection()
    {
        using var node = StartedNode();
        Assert.Null(node.ReadFile("/bin/kill"));

        var reload = node.TryExec("systemctl", "reload", "k0s-node-ip");

        Assert.True(reload.ExitCode == 0, reload.Stderr + node.AgentJournal());
        Assert.True(node.WaitForAgentJournal("(SIGHUP)"), node.AgentJournal());

        // The journal carries the agent's lines, not the .NET host's boilerplate.
        var journal = node.AgentJournal();
        Assert.DoesNotContain("Application started", journal, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting environment", journal, StringComparison.Ordinal);
        Assert.DoesNotContain("Content root path", journal, StringComparison.Ordinal);
    }

    [RootFact]
    public void Drop_in_with_only_a_reworded_header_is_rewritten_at_start_without_restarting_k0s()
    {
        using var node = StartedNode();
        var written = node.ReadFile(DropIn)!;
        node.Exec("systemctl", "stop", "k0s-node-ip");

        // What an older release wrote: the same ExecStart under another header.
        node.WriteFile(DropIn, written.Replace("# Written by k0s-node-ip", "# Managed by k0s-node-ip 0.0.9", StringComparison.Ordinal));
        node.Exec("systemctl", "start", "k0s-node-ip");

        Assert.True(node.WaitForAgentJournal("only comments or formatting changed"), node.AgentJournal());
        Assert.Equal(written, node.ReadFile(DropIn));
        Assert.Equal(2, node.StartsOf("k0sworker").Count);
    }

    [RootFact]
    public void Ipv4_change_while_ipv6_is_in_grace_is_written_after_the_grace_without_the_vanished_address()
    {
        using var node = StartedNode("K0SNODEIP_Watch__FamilyGracePeriod=00:00:06");

        node.InNetwork("ip -6 addr del 2001:db8::10/64 dev eth0", TimeSpan.FromSeconds(10));
        Assert.True(node.WaitForAgentJournal("IPv6 address 2001:db8::10 disappeared"), node.AgentJournal());
        // The node moves to another IPv4 network (deleting the last address of a subnet takes its routes along).
        node.InNetwork("ip addr add 198.51.100.20/24 dev eth0 && ip route replace default via 198.51.100.1 dev eth0 && ip addr del 192.0.2.10/24 dev eth0", TimeSpan.FromSeconds(10));

        // During the grace: held, and said so.
        Assert.True(node.WaitForAgentJournal("IPv4 is now 198.51.100.20: written with the current addresses when the grace ends"), node.AgentJournal());
        Assert.Contains("--node-ip=192.0.2.10,2001:db8::10", node.ReadFile(DropIn), StringComparison.Ordinal);

        // After it: one restart, with the addresses the node has.
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 3, TimeSpan.FromSeconds(20)), node.AgentJournal());
        Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=198.51.100.20", node.StartsOf("k0sworker")[2]);
        Assert.DoesNotContain(node.StartsOf("k0sworker"), start => start.Any(a => a.Contains("198.51.100.20,2001:db8::10", StringComparison.Ordinal)));
    }

    /// <summary>A node whose agent runs and has restarted the worker once with the dual-stack pair.</summary>
    private static SystemdNode StartedNode(params string[] environment)
    {
        var node = new SystemdNode();
        try
        {
            node.AddDualStackNetwork();
            node.InstallStandIn("k0sworker", Worker);
            node.InstallAgent(["K0SNODEIP_Reload__MinInterval=00:00:00", "K0SNODEIP_Watch__Debounce=00:00:00.5", .. environment]);
            Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());
            Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=192.0.2.10,2001:db8::10", node.StartsOf("k0sworker")[1]);
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }
}

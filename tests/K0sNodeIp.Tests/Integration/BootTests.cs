using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// A boot of a node whose IPv6 address comes seconds after IPv4 (SLAAC, DHCPv6, DAD), on a real systemd with the
/// package installed and a stand-in k0s worker enabled: the agent and the worker start together, the drop-in of the
/// previous boot holds both families, and the worker must start exactly once.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class BootTests
{
    private const string Worker = @"/usr/local/bin/stand-in worker --kubelet-extra-args=--v=2 --token-file=/etc/k0s/k0stoken";
    private const string DropIn = "/etc/systemd/system/k0sworker.service.d/50-k0s-node-ip.conf";

    [RootFact]
    public void Ipv6_arriving_after_start_is_waited_for_and_the_worker_starts_once_dual_stack()
    {
        using var node = InstalledNode("K0SNODEIP_Watch__StartupWait=00:00:30");

        Boot(node);
        Thread.Sleep(TimeSpan.FromSeconds(3));
        node.InNetwork("ip -6 addr add 2001:db8::10/64 dev eth0 nodad && ip -6 route add default via 2001:db8::1", TimeSpan.FromSeconds(10));

        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 1, TimeSpan.FromSeconds(40)), node.AgentJournal());
        Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=192.0.2.10,2001:db8::10", node.StartsOf("k0sworker")[0]);
        node.AssertNothingMorePending();
        Assert.Single(node.StartsOf("k0sworker"));
    }

    [RootFact]
    public void Ipv6_that_never_comes_is_waited_for_then_the_worker_starts_once_single_stack_with_a_warning()
    {
        using var node = InstalledNode("K0SNODEIP_Watch__StartupWait=00:00:05");

        var booted = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        Boot(node);

        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 1, TimeSpan.FromSeconds(30)), node.AgentJournal());
        var (time, arguments) = node.Starts("k0sworker")[0];
        Assert.True(arguments.Contains("--kubelet-extra-args=--v=2 --node-ip=192.0.2.10"), string.Join(' ', arguments) + "\n" + node.AgentJournal());
        Assert.True(time - booted >= 4.5, $"the worker started {time - booted:0.0} s after the boot, before the wait was over");
        Assert.Contains("Watch:StartupWait", node.Exec("systemctl", "show", "-p", "StatusText", "k0s-node-ip").Stdout, StringComparison.Ordinal);
        Assert.Contains("no IPv6 address within", node.Exec("journalctl", "-u", "k0s-node-ip", "-p", "warning", "--no-pager", "-o", "cat").Stdout, StringComparison.Ordinal);
        node.AssertNothingMorePending();
        Assert.Single(node.StartsOf("k0sworker"));
    }

    /// <summary>The package installed with a running worker that got the dual-stack pair: the state the last boot left.</summary>
    private static SystemdNode InstalledNode(string environment)
    {
        var node = new SystemdNode();
        try
        {
            node.AddDualStackNetwork();
            node.InstallStandIn("k0sworker", Worker);
            node.Exec("systemctl", "enable", "k0sworker.service");
            node.WriteFile("/etc/systemd/system/k0s-node-ip.service.d/test.conf",
                $"[Service]\nEnvironment=K0SNODEIP_Reload__MinInterval=00:00:00 K0SNODEIP_Watch__Debounce=00:00:00.5 {environment}\n");
            node.CopyIn(Packages.Deb("0.1.0"), "/tmp/k0s-node-ip.deb");
            node.Exec("dpkg", "-i", "/tmp/k0s-node-ip.deb");
            Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());
            Assert.Contains("--node-ip=192.0.2.10,2001:db8::10", node.ReadFile(DropIn), StringComparison.Ordinal);
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Both units stopped, IPv6 gone (it has not come yet after the reboot), then started together as the boot's
    /// transaction starts them: the worker, ordered after the agent, waits for its READY=1.
    /// </summary>
    private static void Boot(SystemdNode node)
    {
        node.Exec("systemctl", "stop", "k0sworker.service", "k0s-node-ip.service");
        node.InNetwork("ip -6 addr del 2001:db8::10/64 dev eth0 && ip -6 route del default", TimeSpan.FromSeconds(10));
        node.Exec("rm", "-f", "/var/log/stand-in-k0sworker.log");
        node.Exec("systemctl", "start", "--no-block", "k0s-node-ip.service", "k0sworker.service");
    }
}

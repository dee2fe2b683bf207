using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// An operator pins the node name in /etc/hosts on a real systemd node (a real /etc, so inotify sees the rename an
/// editor makes): the agent follows at once, with the lookup interval off, so only the file watch can have seen it.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ResolverFileTriggerTests
{
    private const string Worker = @"/usr/local/bin/stand-in worker --kubelet-extra-args=--v=2";

    [RootFact]
    public void Hosts_file_replaced_by_rename_is_followed_without_netlink_or_the_lookup_interval()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.AddLink("eth1");
        node.Exec("ip", "addr", "add", "198.51.100.7/24", "dev", "eth1");
        node.Exec("ip", "-6", "addr", "add", "2001:db8:1::7/64", "dev", "eth1", "nodad");
        node.Exec("hostname", "node1");
        node.WriteFile("/etc/hosts", "127.0.0.1 localhost\n192.0.2.10 node1\n2001:db8::10 node1\n");
        node.InstallStandIn("k0sworker", Worker);
        node.InstallAgent("K0SNODEIP_Reload__MinInterval=00:00:00", "K0SNODEIP_Watch__Debounce=00:00:00.5", "K0SNODEIP_Watch__LookupInterval=00:00:00");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());
        Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=192.0.2.10,2001:db8::10", node.StartsOf("k0sworker")[1]);

        // As an editor or configuration tool writes it: a new file renamed over the old one.
        node.Exec("sh", "-c", "printf '127.0.0.1 localhost\\n198.51.100.7 node1\\n2001:db8:1::7 node1\\n' > /etc/hosts.new && mv /etc/hosts.new /etc/hosts");

        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 3, TimeSpan.FromSeconds(15)), node.AgentJournal());
        Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=198.51.100.7,2001:db8:1::7", node.StartsOf("k0sworker")[2]);
        Assert.Contains("/etc/hosts replaced", node.AgentJournal(), StringComparison.Ordinal);
    }
}

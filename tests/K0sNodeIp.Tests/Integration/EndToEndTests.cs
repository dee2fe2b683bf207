using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>Install to purge on a real systemd: the .deb, the service, a stand-in k0s worker, an address change, an upgrade.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class EndToEndTests
{
    private const string Worker = @"/usr/local/bin/stand-in worker --data-dir=/var/lib/k0s --kubelet-extra-args=--max-pods=250\x20--v=2 --token-file=/etc/k0s/k0stoken";

    [RootFact]
    public void Deb_install_address_change_upgrade_and_purge()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.InstallStandIn("k0sworker", Worker);
        var unitBefore = node.Exec("systemctl", "cat", "k0sworker.service").Stdout;

        // Shorter windows than the defaults so the test waits seconds, not minutes.
        node.WriteFile("/etc/systemd/system/k0s-node-ip.service.d/test.conf",
            "[Service]\nEnvironment=K0SNODEIP_Reload__MinInterval=00:00:02 K0SNODEIP_Watch__Debounce=00:00:01\n");
        node.CopyIn(Packages.Deb("0.1.0"), "/tmp/k0s-node-ip_0.1.0_amd64.deb");
        node.Exec("dpkg", "-i", "/tmp/k0s-node-ip_0.1.0_amd64.deb");

        // Installed: enabled, active (Type=notify: READY=1 came after the first reconcile), the worker restarted with the pair.
        Assert.True(DaemonProcess.WaitFor(() => node.TryExec("systemctl", "is-active", "k0s-node-ip").Stdout.Trim() == "active", TimeSpan.FromSeconds(30)), node.AgentJournal());
        Assert.Equal("enabled", node.TryExec("systemctl", "is-enabled", "k0s-node-ip").Stdout.Trim());
        Assert.Contains("192.0.2.10,2001:db8::10", node.Exec("systemctl", "show", "-p", "StatusText", "k0s-node-ip").Stdout, StringComparison.Ordinal);
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(10)), node.AgentJournal());
        Assert.Contains("--kubelet-extra-args=--max-pods=250 --v=2 --node-ip=192.0.2.10,2001:db8::10", node.StartsOf("k0sworker")[1]);

        // The IPv6 address changes, from outside the node: one restart with the new pair.
        ProcessRunner.Run("nsenter", "-t", node.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-n", "sh", "-c",
            "ip -6 addr add 2001:db8::20/64 dev eth0 nodad && ip -6 addr del 2001:db8::10/64 dev eth0");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 3, TimeSpan.FromSeconds(10)), node.AgentJournal());
        Assert.Contains("--kubelet-extra-args=--max-pods=250 --v=2 --node-ip=192.0.2.10,2001:db8::20", node.StartsOf("k0sworker")[2]);

        node.AssertNothingMorePending();
        Assert.Equal(3, node.StartsOf("k0sworker").Count);

        // Logs reach the journal with their priority.
        Assert.Contains("-> 192.0.2.10,2001:db8::20", node.Exec("journalctl", "-u", "k0s-node-ip", "-p", "info", "--no-pager").Stdout, StringComparison.Ordinal);

        // Upgrade with an edited conffile: the edit survives and the service is restarted.
        var edited = "{ \"Target\": { \"Kind\": \"k0s\" }, \"Watch\": { \"SafetyInterval\": \"00:05:00\" } }\n";
        node.WriteFile("/etc/k0s-node-ip/config.json", edited);
        var invocation = node.Exec("systemctl", "show", "-p", "InvocationID", "k0s-node-ip").Stdout;
        node.CopyIn(Packages.Deb("0.1.1"), "/tmp/k0s-node-ip_0.1.1_amd64.deb");
        node.Exec("dpkg", "-i", "--force-confold", "/tmp/k0s-node-ip_0.1.1_amd64.deb");
        Assert.Equal("0.1.1-1", node.Exec("dpkg-query", "-W", "-f", "${Version}", "k0s-node-ip").Stdout);
        Assert.Equal(edited, node.ReadFile("/etc/k0s-node-ip/config.json"));
        Assert.True(DaemonProcess.WaitFor(() => node.TryExec("systemctl", "is-active", "k0s-node-ip").Stdout.Trim() == "active"
            && node.Exec("systemctl", "show", "-p", "InvocationID", "k0s-node-ip").Stdout != invocation, TimeSpan.FromSeconds(30)), node.AgentJournal());
        Assert.Equal(3, node.StartsOf("k0sworker").Count);

        // The unit's journal says which version replaced which.
        Assert.Contains("k0s-node-ip 0.1.0-1 replaced by 0.1.1-1 (package upgrade)", node.Exec("journalctl", "-u", "k0s-node-ip", "--no-pager", "-o", "cat").Stdout, StringComparison.Ordinal);

        // Purge: the service, its config, its state and the drop-in are gone; the worker's unit is as it was.
        Assert.Contains("\"restartCompleted\": true", node.ReadFile("/var/lib/k0s-node-ip/state.json"), StringComparison.Ordinal);
        node.Exec("dpkg", "--purge", "k0s-node-ip");
        Assert.False(Directory.Exists(node.Root + "/var/lib/k0s-node-ip"));
        Assert.NotEqual(0, node.TryExec("systemctl", "cat", "k0s-node-ip.service").ExitCode);
        Assert.Null(node.ReadFile("/etc/systemd/system/k0sworker.service.d/50-k0s-node-ip.conf"));
        Assert.Null(node.ReadFile("/etc/k0s-node-ip/config.json"));
        Assert.Equal(unitBefore, node.Exec("systemctl", "cat", "k0sworker.service").Stdout);
    }
}

using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// Issue 32 under a real systemd: a too-narrow Detection:AllowedCidrs pushed to a running agent keeps the family the
/// drop-in holds, restarts nothing, does not make the next start wait for that family, and stands in STATUS=.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class SettingKeepSystemdTests
{
    [RootFact]
    public void Too_narrow_allowed_cidrs_keep_the_held_family_without_a_start_up_wait_or_a_restart()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.InstallStandIn("k0sworker", "/usr/local/bin/stand-in worker");
        node.InstallAgent("K0SNODEIP_Reload__MinInterval=00:00:00", "K0SNODEIP_Watch__Debounce=00:00:00.5", "K0SNODEIP_Watch__StartupWait=00:01:00");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());

        // The operator's setting leaves IPv4 with no candidate; the agent is restarted with it (a config push).
        node.WriteFile("/etc/systemd/system/k0s-node-ip.service.d/narrow.conf",
            "[Service]\nEnvironment=K0SNODEIP_Detection__AllowedCidrs__0=10.0.0.0/8 K0SNODEIP_Detection__AllowedCidrs__1=2001:db8::/64\n");
        node.Exec("systemctl", "daemon-reload");
        // Type=notify: this returns at READY=1, which a start-up wait for IPv4 would have held back for a minute.
        node.Exec("systemctl", "restart", "k0s-node-ip");

        var status = node.AgentStatusText();
        Assert.Contains("Detection:AllowedCidrs leaves IPv4 empty: 192.0.2.10 kept", status, StringComparison.Ordinal);
        Assert.DoesNotContain("Watch:StartupWait", status, StringComparison.Ordinal);
        node.AssertNothingMorePending();
        Assert.Equal(2, node.StartsOf("k0sworker").Count);
        Assert.Contains("--node-ip=192.0.2.10,2001:db8::10", node.ReadFile("/etc/systemd/system/k0sworker.service.d/50-k0s-node-ip.conf"), StringComparison.Ordinal);

        // --print says the same as a value: the kept family, its address and the setting.
        var print = node.TryExec("sh", "-c", "K0SNODEIP_Detection__AllowedCidrs__0=10.0.0.0/8 k0s-node-ip --print --json");
        var kept = Assert.Single(System.Text.Json.JsonDocument.Parse(print.Stdout).RootElement.GetProperty("keptForSettings").EnumerateArray());
        Assert.Equal("IPv4", kept.GetProperty("family").GetString());
        Assert.Equal("192.0.2.10", kept.GetProperty("address").GetString());
        Assert.Equal("Detection:AllowedCidrs", kept.GetProperty("setting").GetString());
    }
}

using K0sNodeIp.Tests.Support;
using Xunit.Abstractions;

namespace K0sNodeIp.Tests.Hardening;

/// <summary>
/// Flapping for 60 s, 10 changes a second, under a real systemd with the agent as its service and a stand-in
/// k0s worker: the worker is restarted at most once per rate-limit window, and ends with the right pair.
/// </summary>
[Collection(Integration.IntegrationCollection.Name)]
public sealed class FlappingTests(ITestOutputHelper output)
{
    private const int WindowSeconds = 10;
    private const int FlapSeconds = 60;
    private const string Worker = @"/usr/local/bin/stand-in worker --kubelet-extra-args=--v=2 --token-file=/etc/k0s/k0stoken";

    [RootFact]
    public void Ipv6_address_removed_and_added_ten_times_a_second()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.InstallStandIn("k0sworker", Worker);
        node.InstallAgent($"K0SNODEIP_Reload__MinInterval=00:00:{WindowSeconds:00}", "K0SNODEIP_Watch__FamilyGracePeriod=00:00:00");

        node.InNetwork($$"""
            end=$(($(date +%s) + {{FlapSeconds}}))
            while [ $(date +%s) -lt $end ]; do
              ip -6 addr del 2001:db8::10/64 dev eth0; sleep 0.05
              ip -6 addr add 2001:db8::10/64 dev eth0 nodad; sleep 0.05
            done
            """, TimeSpan.FromSeconds(FlapSeconds + 30));

        AssertRateLimitedAndSettled(node, "--node-ip=192.0.2.10,2001:db8::10");
    }

    [RootFact]
    public void Default_route_flapping_between_two_interfaces_ten_times_a_second()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.AddLink("eth1");
        node.Exec("ip", "addr", "add", "198.51.100.10/24", "dev", "eth1");
        node.InstallStandIn("k0sworker", Worker);
        node.InstallAgent($"K0SNODEIP_Reload__MinInterval=00:00:{WindowSeconds:00}", "K0SNODEIP_Detection__Sources__0=DefaultRoute");

        node.InNetwork($$"""
            end=$(($(date +%s) + {{FlapSeconds}}))
            while [ $(date +%s) -lt $end ]; do
              ip route replace default via 198.51.100.1 dev eth1; sleep 0.05
              ip route replace default via 192.0.2.1 dev eth0; sleep 0.05
            done
            """, TimeSpan.FromSeconds(FlapSeconds + 30));

        AssertRateLimitedAndSettled(node, "--node-ip=192.0.2.10,2001:db8::10");
    }

    private void AssertRateLimitedAndSettled(SystemdNode node, string expected)
    {
        // After the last flap: debounce, then at most one window until the deferred restart.
        var settled = DaemonProcess.WaitFor(() => node.StartsOf("k0sworker")[^1].Any(a => a.EndsWith(expected, StringComparison.Ordinal)), TimeSpan.FromSeconds(WindowSeconds + 10));
        Thread.Sleep(TimeSpan.FromSeconds(WindowSeconds + 3));
        var starts = node.Starts("k0sworker");
        output.WriteLine(string.Join('\n', starts.Select(s => $"{s.Time:F3} {string.Join(' ', s.Arguments)}")));
        output.WriteLine(node.TryExec("journalctl", "-u", "k0s-node-ip", "--no-pager", "-o", "short-unix").Stdout);

        Assert.True(settled, node.TryExec("journalctl", "-u", "k0s-node-ip", "--no-pager", "-n", "40").Stdout);
        Assert.Contains(expected, starts[^1].Arguments[1], StringComparison.Ordinal);

        // The first start is the test's own; every restart after that is at least one window from the previous one.
        for (var i = 2; i < starts.Count; i++)
        {
            Assert.True(starts[i].Time - starts[i - 1].Time >= WindowSeconds - 1, $"restarts {i - 1} and {i} only {starts[i].Time - starts[i - 1].Time:F1} s apart");
        }

        Assert.InRange(starts.Count, 2, 2 + ((FlapSeconds + (2 * WindowSeconds)) / WindowSeconds));
    }
}

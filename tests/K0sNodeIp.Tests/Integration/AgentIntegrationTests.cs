using System.Diagnostics;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>The agent as a real daemon in a network namespace, writing a file target without restarting anything.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class AgentIntegrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-agent").FullName;

    [RootFact]
    public void Ipv6_address_change_is_written_within_debounce_plus_one_second_and_ignored_interfaces_cause_nothing()
    {
        using var node = SingleAddressNode();
        var target = Path.Combine(_dir, "node-ip");
        using var agent = node.StartAgent("node1", "--Target:Kind=file", $"--Target:Path={target}", "--Reload:Mode=none",
            "--Watch:Debounce=00:00:01", "--Watch:FamilyGracePeriod=00:00:00");

        Assert.True(DaemonProcess.WaitFor(() => Read(target) == "--node-ip=192.0.2.5,2001:db8::5\n", TimeSpan.FromSeconds(20)), agent.Log);

        // The node's IPv6 address changes: the file follows after the 1 s debounce (5 s allows for a loaded 2-core machine;
        // bench/run measures the latency itself).
        var clock = Stopwatch.StartNew();
        node.Ip("-6", "addr", "add", "2001:db8::77/64", "dev", "eth0", "nodad");
        node.Ip("-6", "addr", "del", "2001:db8::5/64", "dev", "eth0");
        Assert.True(DaemonProcess.WaitFor(() => Read(target) == "--node-ip=192.0.2.5,2001:db8::77\n", TimeSpan.FromSeconds(5)),
            $"after {clock.Elapsed}: {Read(target)}\n{agent.Log}");

        // 200 addresses on kube-ipvs0 (a veth: this kernel has no dummy type): no detection, no rewrite.
        Assert.True(DaemonProcess.WaitFor(() => agent.Log.Contains("-> 192.0.2.5,2001:db8::77", StringComparison.Ordinal), TimeSpan.FromSeconds(5)), agent.Log);
        var detections = agent.Reconciles;
        var before = File.GetLastWriteTimeUtc(target);
        node.Ip("link", "add", "kube-ipvs0", "type", "veth", "peer", "name", "veth-ipvs");
        node.Ip("link", "set", "kube-ipvs0", "up");
        var batch = string.Join('\n', Enumerable.Range(1, 200).Select(i => $"addr add 10.96.{i / 250}.{i % 250 + 1}/32 dev kube-ipvs0"));
        var script = Path.Combine(_dir, "batch");
        File.WriteAllText(script, batch + "\n");
        node.Ip("-batch", script);

        // A marker behind them on the same netlink socket: one secondary address on eth0 (it changes no choice).
        // Its detection names it alone, so every kube-ipvs0 event before it was seen and dropped, not pending.
        node.Ip("addr", "add", "192.0.2.200/24", "dev", "eth0");
        Assert.True(DaemonProcess.WaitFor(() => agent.Log.Contains("(address 192.0.2.200/24 added to eth0): 192.0.2.5,2001:db8::77", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), agent.Log);

        // The marker's reconcile is over once counted; the 200 events before it brought none of their own.
        Assert.True(DaemonProcess.WaitFor(() => agent.Reconciles >= detections + 1, TimeSpan.FromSeconds(10)), agent.Log);
        Assert.Equal(detections + 1, agent.Reconciles);
        Assert.Equal(before, File.GetLastWriteTimeUtc(target));
        Assert.Equal("--node-ip=192.0.2.5,2001:db8::77\n", Read(target));

        // SIGTERM stops it cleanly.
        Assert.Equal(0, agent.Stop(TimeSpan.FromSeconds(10)));
    }

    [RootFact]
    public void Lost_ipv6_is_kept_for_the_grace_period_then_dropped()
    {
        using var node = SingleAddressNode();
        var target = Path.Combine(_dir, "node-ip");
        using var agent = node.StartAgent("node1", "--Target:Kind=file", $"--Target:Path={target}", "--Reload:Mode=none",
            "--Watch:Debounce=00:00:00.2", "--Watch:FamilyGracePeriod=00:00:03");
        Assert.True(DaemonProcess.WaitFor(() => Read(target) == "--node-ip=192.0.2.5,2001:db8::5\n", TimeSpan.FromSeconds(20)), agent.Log);

        node.Ip("-6", "addr", "del", "2001:db8::5/64", "dev", "eth0");
        Assert.True(DaemonProcess.WaitFor(() => agent.Log.Contains("IPv6 address 2001:db8::5 disappeared", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), agent.Log);
        Assert.Equal("--node-ip=192.0.2.5,2001:db8::5\n", Read(target));

        Assert.True(DaemonProcess.WaitFor(() => Read(target) == "--node-ip=192.0.2.5\n", TimeSpan.FromSeconds(5)), agent.Log);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>eth0 with one address per family behind default routes, and a DNS server that knows no name.</summary>
    private static TestNode SingleAddressNode()
    {
        var node = new TestNode();
        node.AddLink("eth0");
        node.Ip("addr", "add", "192.0.2.5/24", "dev", "eth0");
        node.Ip("-6", "addr", "add", "2001:db8::5/64", "dev", "eth0", "nodad");
        node.Ip("route", "add", "default", "via", "192.0.2.1");
        node.Ip("-6", "route", "add", "default", "via", "2001:db8::1");
        node.StartDns();
        return node;
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}

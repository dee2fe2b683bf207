using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// The daemon over a node's life, in a namespace node with a real dnsmasq: the node IP stays put while the address the
/// file holds is still valid (a VIP, a second address, a renumbering's new prefix change nothing until the old address
/// is deprecated), and a DNS answer that moves is followed within the lookup interval, without any netlink event.
/// Each waits for the detection the event caused to be over (the agent's reconciles counter) before asserting that
/// nothing was written (its writes counter).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class StableNodeIpTests : IDisposable
{
    private const string Held = "--node-ip=192.0.2.10,2001:db8::10\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-stable").FullName;

    [RootFact]
    public void Keepalived_vip_coming_and_going_twice_rewrites_nothing()
    {
        using var node = Node();
        using var agent = Start(node);

        for (var round = 1; round <= 2; round++)
        {
            var detections = agent.Reconciles;
            node.Ip("-6", "addr", "add", "2001:db8::100/128", "dev", "eth0", "nodad");
            Assert.True(DaemonProcess.WaitFor(() => agent.Reconciles > detections, TimeSpan.FromSeconds(10)), agent.Log);
            detections = agent.Reconciles;
            node.Ip("-6", "addr", "del", "2001:db8::100/128", "dev", "eth0");
            Assert.True(DaemonProcess.WaitFor(() => agent.Reconciles > detections, TimeSpan.FromSeconds(10)), agent.Log);
        }

        Assert.Contains("IPv6 2001:db8::10 kept (Detection:KeepCurrent)", agent.Log, StringComparison.Ordinal);
        Assert.Equal(Held, File.ReadAllText(Target));
        Assert.Equal(1, agent.Writes);
    }

    [RootFact]
    public void Second_stable_address_beside_the_held_one_rewrites_nothing()
    {
        using var node = Node();
        using var agent = Start(node);
        var detections = agent.Reconciles;

        node.Ip("-6", "addr", "add", "2001:db8::20/64", "dev", "eth0", "nodad");

        Assert.True(DaemonProcess.WaitFor(() => agent.Reconciles > detections, TimeSpan.FromSeconds(10)), agent.Log);
        Assert.Equal(Held, File.ReadAllText(Target));
        Assert.Equal(1, agent.Writes);
    }

    [RootFact]
    public void Renumbering_is_written_once_when_the_old_address_is_deprecated_not_when_the_new_prefix_comes()
    {
        using var node = Node();
        using var agent = Start(node);
        var detections = agent.Reconciles;

        node.Ip("-6", "addr", "add", "2001:db8:2::10/64", "dev", "eth0", "nodad");
        Assert.True(DaemonProcess.WaitFor(() => agent.Reconciles > detections, TimeSpan.FromSeconds(10)), agent.Log);
        Assert.Equal(Held, File.ReadAllText(Target));

        node.Ip("-6", "addr", "change", "2001:db8::10/64", "dev", "eth0", "preferred_lft", "0");

        Assert.True(DaemonProcess.WaitFor(() => File.ReadAllText(Target) == "--node-ip=192.0.2.10,2001:db8:2::10\n", TimeSpan.FromSeconds(10)), agent.Log);
        Assert.True(DaemonProcess.WaitFor(() => agent.Log.Contains("on eth0 now deprecated", StringComparison.Ordinal) && agent.Writes == 2, TimeSpan.FromSeconds(5)), agent.Log);
    }

    [RootFact]
    public void Dns_record_that_moves_to_another_interface_is_followed_within_the_lookup_interval()
    {
        using var node = Node("node1,192.0.2.10,2001:db8::10");
        node.AddLink("eth1");
        node.Ip("addr", "add", "198.51.100.7/24", "dev", "eth1");
        node.Ip("-6", "addr", "add", "2001:db8:1::7/64", "dev", "eth1", "nodad");
        using var agent = Start(node);
        Assert.Contains("first valid answer of the hostname lookup", node.PrintLive("node1").Json.ToString(), StringComparison.Ordinal);

        // No netlink event: only the re-resolution every Watch:LookupInterval (10 s, the default) can see this.
        var moved = System.Diagnostics.Stopwatch.StartNew();
        node.RestartDns("node1,198.51.100.7,2001:db8:1::7");

        Assert.True(DaemonProcess.WaitFor(() => File.ReadAllText(Target) == "--node-ip=198.51.100.7,2001:db8:1::7\n", TimeSpan.FromSeconds(25)), agent.Log);
        Assert.True(moved.Elapsed < TimeSpan.FromSeconds(20), $"followed after {moved.Elapsed}");
        Assert.True(DaemonProcess.WaitFor(() => agent.Log.Contains("(hostname lookup answer changed)", StringComparison.Ordinal) && agent.Writes == 2, TimeSpan.FromSeconds(5)), agent.Log);
    }

    [RootFact]
    public void Dns_outage_keeps_the_address_the_lookup_gave_and_its_return_restarts_nothing()
    {
        using var node = Node("node1,198.51.100.7,2001:db8:1::7");
        node.AddLink("eth1");
        node.Ip("addr", "add", "198.51.100.7/24", "dev", "eth1");
        node.Ip("-6", "addr", "add", "2001:db8:1::7/64", "dev", "eth1", "nodad");
        const string FromDns = "--node-ip=198.51.100.7,2001:db8:1::7\n";
        using var agent = node.StartAgent("node1", "--Target:Kind=file", $"--Target:Path={Target}", "--Reload:Mode=none",
            "--Watch:Debounce=00:00:00.5", "--Watch:LookupInterval=00:00:01");
        Assert.True(DaemonProcess.WaitFor(() => File.Exists(Target) && File.ReadAllText(Target) == FromDns, TimeSpan.FromSeconds(20)), agent.Log);

        node.StopDns();
        Assert.True(DaemonProcess.WaitFor(() => agent.Log.Contains("which it gave before, is kept until it answers again", StringComparison.Ordinal), TimeSpan.FromSeconds(15)), agent.Log);
        Assert.Equal(FromDns, File.ReadAllText(Target));

        // Back: the lookup interval sees the answer again (a second "answer changed" detection after the outage's own),
        // and the pair it gives is the one the file holds.
        node.StartDns("node1,198.51.100.7,2001:db8:1::7");
        Assert.True(DaemonProcess.WaitFor(() => agent.Log.Split('\n').SkipWhile(l => !l.Contains("is kept until it answers again", StringComparison.Ordinal))
            .Count(l => l.Contains("(hostname lookup answer changed): 198.51.100.7,2001:db8:1::7", StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(15)), agent.Log);
        Assert.DoesNotContain("WRN", agent.Log.Split('\n').Last(l => l.Contains("detection #", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(FromDns, File.ReadAllText(Target));
        Assert.Equal(1, agent.Writes);
    }

    [RootFact]
    public void Dns_outage_that_ends_with_a_new_answer_is_followed_within_one_lookup_interval_of_the_servers_return()
    {
        // The name resolves to eth0's pair, which is also the default route's: during the outage the route decides the
        // same pair, so nothing is kept and nothing written; the lookup must still be tried again every interval.
        using var node = Node("node1,192.0.2.10,2001:db8::10");
        node.AddLink("eth1");
        node.Ip("addr", "add", "198.51.100.7/24", "dev", "eth1");
        node.Ip("-6", "addr", "add", "2001:db8:1::7/64", "dev", "eth1", "nodad");
        using var agent = node.StartAgent("node1", "--Target:Kind=file", $"--Target:Path={Target}", "--Reload:Mode=none",
            "--Watch:Debounce=00:00:00.5", "--Watch:LookupInterval=00:00:05");
        Assert.True(DaemonProcess.WaitFor(() => File.Exists(Target) && File.ReadAllText(Target) == Held, TimeSpan.FromSeconds(20)), agent.Log);

        node.StopDns();
        // Evidence of the outage: the lookup check saw the answer go, and the reconcile it brought found the server gone.
        Assert.True(DaemonProcess.WaitFor(() => agent.Lines.Any(l => l.Contains("(hostname lookup answer changed)", StringComparison.Ordinal)), TimeSpan.FromSeconds(15)), agent.Log);
        var seen = agent.Lines.Count;
        Assert.Equal(Held, File.ReadAllText(Target));

        var back = System.Diagnostics.Stopwatch.StartNew();
        node.StartDns("node1,198.51.100.7,2001:db8:1::7");

        Assert.True(DaemonProcess.WaitFor(() => File.ReadAllText(Target) == "--node-ip=198.51.100.7,2001:db8:1::7\n", TimeSpan.FromSeconds(20)), agent.Log);
        Assert.True(back.Elapsed < TimeSpan.FromSeconds(12), $"followed {back.Elapsed} after the server's return");
        // The log is read from the agent's output as it comes: wait for the line that goes with the write.
        Assert.True(DaemonProcess.WaitFor(() => agent.Lines.Skip(seen).Any(l => l.Contains("(hostname lookup answer changed): 198.51.100.7,2001:db8:1::7", StringComparison.Ordinal))
            && agent.Writes == 2, TimeSpan.FromSeconds(5)), agent.Log);
    }

    [RootFact]
    public void Once_and_print_keep_the_address_the_file_holds_and_a_snapshot_replays_that_choice()
    {
        using var node = Node();
        node.Ip("-6", "addr", "add", "2001:db8::20/64", "dev", "eth0", "nodad");
        File.WriteAllText(Target, Held);
        string[] target = ["--Target:Kind=file", $"--Target:Path={Target}", "--Reload:Mode=none"];

        var once = node.Exec([.. ProgramUnderTest.Command, "--once", .. target]);
        var (_, json, _) = node.Print("node1", target);

        Assert.Equal(0, once.ExitCode);
        Assert.Equal(Held, File.ReadAllText(Target));
        Assert.Equal("2001:db8::10", json.GetProperty("ipv6").GetString());
        Assert.Equal("2001:db8::20", json.GetProperty("kubeletPick").GetProperty("ipv6").GetString());
        Assert.Contains(json.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("accepted").GetBoolean()
            && c.GetProperty("address").GetString() == "2001:db8::10" && c.GetProperty("reason").GetString()!.StartsWith("kept:", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Target => Path.Combine(_dir, "node-ip");

    /// <summary>eth0 with 192.0.2.10 and 2001:db8::10 behind default routes, and dnsmasq with the records given.</summary>
    private static TestNode Node(params string[] records)
    {
        var node = new TestNode();
        node.AddLink("eth0");
        node.Ip("addr", "add", "192.0.2.10/24", "dev", "eth0");
        node.Ip("-6", "addr", "add", "2001:db8::10/64", "dev", "eth0", "nodad");
        node.Ip("route", "add", "default", "via", "192.0.2.1");
        node.Ip("-6", "route", "add", "default", "via", "2001:db8::1");
        node.StartDns(records);
        return node;
    }

    /// <summary>The daemon writing a file target; returns once it holds the first pair.</summary>
    private DaemonProcess Start(TestNode node)
    {
        var agent = node.StartAgent("node1", "--Target:Kind=file", $"--Target:Path={Target}", "--Reload:Mode=none",
            "--Watch:Debounce=00:00:00.5", "--Watch:FamilyGracePeriod=00:00:00");
        Assert.True(DaemonProcess.WaitFor(() => File.Exists(Target) && File.ReadAllText(Target) == Held, TimeSpan.FromSeconds(20)), agent.Log);
        return agent;
    }
}

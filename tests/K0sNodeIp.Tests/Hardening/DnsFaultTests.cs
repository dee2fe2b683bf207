using System.Diagnostics;
using System.Net;
using System.Text.Json;
using K0sNodeIp.Tests.Support;
using static K0sNodeIp.Tests.Support.FakeDnsServer;

namespace K0sNodeIp.Tests.Hardening;

/// <summary>
/// DNS faults against real servers in a network namespace. In each, detection falls back to the default-route
/// interface within the bound kubelet's resolver has (resolv.conf's timeout x attempts), --print says what happened to
/// the DNS source, and only a server fault (not "no such name") is flagged as one.
/// </summary>
[Collection(Integration.IntegrationCollection.Name)]
public sealed class DnsFaultTests
{
    // Failures that need no timeout end well within this, process start on a loaded machine included.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(7);
    private static readonly IPAddress[] Records = [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")];

    [RootFact]
    public void Nameserver_with_nothing_listening_is_seen_refusing_and_falls_back()
    {
        using var node = FaultNode();

        var (json, elapsed) = Print(node);

        // The ICMP refusal ends the lookup at once instead of after every timeout (2 x 2 s).
        AssertFallback(json, elapsed, "refused the query (nothing listening on port 53)");
    }

    [RootFact]
    public void Blackholed_nameserver_falls_back_within_the_bound()
    {
        // 192.0.2.99 is on eth0's link but nobody answers ARP for it: queries vanish. resolv.conf's own limits
        // (1 s x 2 attempts, as kubelet's resolver takes them) bound the wait at 3 s; process start gets the rest.
        using var node = TestNode.DualStack(resolvConf: "nameserver 192.0.2.99\noptions timeout:1 attempts:2\n");

        var (json, elapsed) = Print(node);

        AssertFallback(json, elapsed, "timeout");
        Assert.Contains("timeout 1 s (/etc/resolv.conf), 2 attempts (/etc/resolv.conf)", Lookup(json).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [RootTheory]
    [InlineData(Behavior.ServFail, "SERVFAIL")]
    [InlineData(Behavior.Refused, "REFUSED")]
    [InlineData(Behavior.Garbage, "A: ")]
    public void Failing_server_falls_back_and_the_fault_is_named(Behavior behavior, string named)
    {
        using var node = FaultNode();
        using var server = new FakeDnsServer(node.Name, behavior, Records);

        var (json, elapsed) = Print(node);

        AssertFallback(json, elapsed, named);
    }

    [RootFact]
    public void Answer_for_another_name_is_ignored()
    {
        using var node = FaultNode();
        using var server = new FakeDnsServer(node.Name, Behavior.WrongName, Records);

        var (json, elapsed) = Print(node);

        AssertPair(json, "192.0.2.5", "2001:db8::5");
        Assert.Contains("no records", Lookup(json).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(Lookup(json).GetProperty("faulted").GetBoolean());
        Assert.True(elapsed < Bound, $"took {elapsed}");
    }

    [RootFact]
    public void Truncated_udp_answer_is_retried_over_tcp()
    {
        using var node = FaultNode();
        using var server = new FakeDnsServer(node.Name, Behavior.TruncatedOverUdp, Records);

        var (json, _) = Print(node);

        AssertPair(json, "192.0.2.10", "2001:db8::10");
        Assert.Equal("dns", Lookup(json).GetProperty("method").GetString());
    }

    [RootFact]
    public void Answer_for_A_with_AAAA_timing_out_takes_ipv4_from_dns_and_ipv6_from_the_default_route()
    {
        // Kubelet's resolver waits out AAAA's timeouts too; resolv.conf's 1 s x 2 attempts keep that short.
        using var node = TestNode.DualStack(resolvConf: "nameserver 127.0.0.1\noptions timeout:1 attempts:2\n");
        using var server = new FakeDnsServer(node.Name, Behavior.AnswerAButDropAaaa, Records);

        var (json, elapsed) = Print(node);

        AssertPair(json, "192.0.2.10", "2001:db8::5");
        Assert.Contains("AAAA: timeout", Lookup(json).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(elapsed < Bound, $"took {elapsed}");
    }

    [RootFact]
    public void Daemon_logs_one_clear_warning_for_a_failed_lookup()
    {
        using var node = FaultNode();
        using var server = new FakeDnsServer(node.Name, Behavior.ServFail, Records);
        var target = Path.Combine(Path.GetTempPath(), node.Name + "-node-ip");
        try
        {
            var result = node.Exec([.. ProgramUnderTest.Command, "--once", "--Target:Kind=file", $"--Target:Path={target}", "--Reload:Mode=none"]);

            var warnings = result.Stderr.Split('\n').Where(l => l.Contains(" WRN ", StringComparison.Ordinal)).ToList();
            var warning = Assert.Single(warnings);
            Assert.Contains("hostname lookup (dns)", warning, StringComparison.Ordinal);
            Assert.Contains("SERVFAIL", warning, StringComparison.Ordinal);
            Assert.Equal("--node-ip=192.0.2.5,2001:db8::5\n", File.ReadAllText(target));
        }
        finally
        {
            File.Delete(target);
        }
    }

    [RootTheory]
    [InlineData("options timeout:3000000")]
    [InlineData("options timeout:16777215 attempts:16777215")]
    public void Huge_resolv_conf_timeouts_are_read_as_go_reads_them_not_a_crash(string options)
    {
        // Go's dtoi caps both at 0xFFFFFF; a wait of days is still a wait, and the server answers at once here.
        using var node = TestNode.DualStack(resolvConf: $"nameserver 127.0.0.1\n{options}\n");
        using var server = new FakeDnsServer(node.Name, Behavior.Answer, Records);

        var (exit, json, stderr) = node.PrintLive("node1");

        Assert.True(exit == 0, stderr);
        AssertPair(json, "192.0.2.10", "2001:db8::10");
        Assert.Equal("dns", Lookup(json).GetProperty("method").GetString());
    }

    private static TestNode FaultNode(string nameserver = "127.0.0.1") => TestNode.DualStack(resolvConf: $"nameserver {nameserver}\n");

    private static (JsonElement Json, TimeSpan Elapsed) Print(TestNode node)
    {
        var clock = Stopwatch.StartNew();
        var (exit, json, _) = node.PrintLive("node1");
        var elapsed = clock.Elapsed;
        node.AssertSnapshotReplays("node1", exit, json);
        return (json, elapsed);
    }

    private static void AssertFallback(JsonElement json, TimeSpan elapsed, string named)
    {
        AssertPair(json, "192.0.2.5", "2001:db8::5");
        var lookup = Lookup(json);
        Assert.Empty(lookup.GetProperty("answers").EnumerateArray());
        Assert.True(lookup.GetProperty("faulted").GetBoolean());
        Assert.Contains(named, lookup.GetProperty("error").GetString(), StringComparison.Ordinal);

        // Said once, in lookup.error, not again per family in the notes.
        Assert.DoesNotContain(json.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("hostname lookup", StringComparison.Ordinal));
        Assert.True(elapsed < Bound, $"took {elapsed}");
    }

    private static JsonElement Lookup(JsonElement json) => json.GetProperty("lookup");

    private static void AssertPair(JsonElement json, string ipv4, string ipv6)
    {
        Assert.Equal(ipv4, json.GetProperty("ipv4").GetString());
        Assert.Equal(ipv6, json.GetProperty("ipv6").GetString());
    }
}

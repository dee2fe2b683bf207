using System.Net;
using System.Text.Json;
using K0sNodeIp.Tests.Support;
using static K0sNodeIp.Tests.Support.FakeDnsServer;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// Two real nameservers on a test node's loopback, the first misbehaving in one way, the second holding the node's
/// records: the lookup moves on to the second server exactly when Go's resolver (and so kubelet) does.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class NameserverRulesTests
{
    private static readonly IPAddress First = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Second = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress[] Records = [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")];
    private const string FromDefaultRoute = "192.0.2.5,2001:db8::5";
    private const string FromSecondServer = "192.0.2.10,2001:db8::10";

    [RootTheory]
    [InlineData(Behavior.NxDomain, FromDefaultRoute)]
    [InlineData(Behavior.NoRecords, FromDefaultRoute)]
    [InlineData(Behavior.ServFail, FromSecondServer)]
    [InlineData(Behavior.Refused, FromSecondServer)]
    [InlineData(Behavior.LameReferral, FromSecondServer)]
    [InlineData(Behavior.Garbage, FromSecondServer)]
    [InlineData(Behavior.Silent, FromSecondServer)]
    public void First_server_answer_decides_whether_the_second_is_asked(Behavior first, string expected)
    {
        using var node = TestNode.DualStack(resolvConf: $"nameserver {First}\nnameserver {Second}\noptions timeout:1 attempts:1\n");
        using var misbehaving = new FakeDnsServer(node.Name, First, first, Records);
        using var holding = new FakeDnsServer(node.Name, Second, Behavior.Answer, Records);

        var (_, json, _) = node.Print("node1");

        Assert.Equal(expected, Pair(json));
        // kubelet's own pick is what its resolver's rules give, never the answer Go would not have asked for.
        Assert.Equal(expected.Split(',')[0], Kubelet(json, "ipv4"));
        Assert.Equal(expected.Split(',')[1], Kubelet(json, "ipv6"));
    }

    [RootFact]
    public void Rotate_starts_each_query_at_the_next_server_in_turn()
    {
        // Go's per-process counter: the first query (A) starts at the first server, which says NXDOMAIN (final); the
        // second (AAAA) starts at the second server, which holds the record.
        using var node = TestNode.DualStack(resolvConf: $"nameserver {First}\nnameserver {Second}\noptions rotate timeout:1 attempts:1\n");
        using var nxdomain = new FakeDnsServer(node.Name, First, Behavior.NxDomain, Records);
        using var holding = new FakeDnsServer(node.Name, Second, Behavior.Answer, Records);

        var (_, json, _) = node.Print("node1");

        Assert.Equal("192.0.2.5,2001:db8::10", Pair(json));
    }

    private static string Pair(JsonElement json) => $"{json.GetProperty("ipv4").GetString()},{json.GetProperty("ipv6").GetString()}";

    private static string? Kubelet(JsonElement json, string family) => json.GetProperty("kubeletPick").GetProperty(family).GetString();
}

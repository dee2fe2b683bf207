using System.Net;
using System.Text.Json.Nodes;
using K0sNodeIp.Capture;
using K0sNodeIp.Configuration;

namespace K0sNodeIp.Tests.Capture;

/// <summary>The recorded node answers only what the node was asked, whatever machine it runs on.</summary>
public sealed class RecordedNodeTests
{
    [Fact]
    public void Zone_named_on_the_node_finds_the_recorded_probe_by_its_address()
    {
        // The node recorded fe80::1%2; the replaying machine parses "fe80::1%eth0" to another (or no) zone.
        var node = Node(probes: [("fe80::1%2", "fe80::5%2")]);

        var source = node.SourceFor(IPAddress.Parse("fe80::1"));

        Assert.Equal(IPAddress.Parse("fe80::5%2"), source);
    }

    [Fact]
    public void Destination_the_node_never_probed_is_not_invented()
    {
        var node = Node(probes: [("192.0.2.1", "192.0.2.5")]);

        var e = Assert.Throws<SnapshotException>(() => node.SourceFor(IPAddress.Parse("198.51.100.1")));

        Assert.StartsWith("the snapshot records no route towards 198.51.100.1", e.Message, StringComparison.Ordinal);
        Assert.Null(Node(probes: [("192.0.2.1", null)]).SourceFor(IPAddress.Parse("192.0.2.1")));
    }

    [Fact]
    public async Task Name_the_node_never_resolved_is_not_invented()
    {
        var node = Node(probes: []);

        var e = await Assert.ThrowsAsync<SnapshotException>(() => node.LookupAsync("other-name", CancellationToken.None));

        Assert.StartsWith("the snapshot records no lookup of other-name", e.Message, StringComparison.Ordinal);
    }

    private static RecordedNode Node((string Destination, string? Source)[] probes)
    {
        var document = JsonNode.Parse(File.ReadAllText(SnapshotFixtures.Paths().First()))!.AsObject();
        document["probes"] = new JsonArray(probes.Select(p => (JsonNode)new JsonObject { ["destination"] = p.Destination, ["source"] = p.Source }).ToArray());
        return new RecordedNode(SnapshotFile.Parse(document.ToJsonString(), "test"), new DetectionOptions());
    }
}

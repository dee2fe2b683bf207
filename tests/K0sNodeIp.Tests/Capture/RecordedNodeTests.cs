using System.Net;
using System.Text.Json.Nodes;
using K0sNodeIp.Capture;
using K0sNodeIp.Configuration;

namespace K0sNodeIp.Tests.Capture;

/// <summary>The recorded node answers only what the node was asked, whatever machine it runs on.</summary>
public sealed class RecordedNodeTests
{
    [Fact]
    public void Zone_named_by_interface_means_the_recorded_interface_of_that_name()
    {
        // On the node, fe80::1%eth0 parsed to eth0's index; the replaying machine may have no eth0, or another one.
        var node = Node(probes: []);
        var eth0 = SnapshotFile.Parse(File.ReadAllText(SnapshotFixtures.Paths().First()), "test").Interfaces.Single(n => n.Name == "eth0").Index;

        Assert.Equal(new IPAddress(IPAddress.Parse("fe80::1").GetAddressBytes(), eth0), node.ParseDestination("fe80::1%eth0"));
        Assert.Equal(IPAddress.Parse("fe80::1%9"), node.ParseDestination("fe80::1%9"));
        Assert.Equal(IPAddress.Parse("192.0.2.1"), node.ParseDestination("192.0.2.1"));
        Assert.Null(node.ParseDestination("gw.example.test"));
    }

    [Fact]
    public void Same_address_in_another_zone_is_not_the_recorded_probe()
    {
        var node = Node(probes: [("fe80::1%2", "fe80::5%2")]);

        Assert.Equal(IPAddress.Parse("fe80::5%2"), node.SourceFor(IPAddress.Parse("fe80::1%2")));
        Assert.Throws<SnapshotException>(() => node.SourceFor(IPAddress.Parse("fe80::1%3")));
        Assert.Throws<SnapshotException>(() => node.SourceFor(IPAddress.Parse("fe80::1")));
    }

    [Fact]
    public void Cleared_hostname_override_is_not_answered_with_the_overridden_name()
    {
        var document = JsonNode.Parse(File.ReadAllText(SnapshotFixtures.Paths().First()))!.AsObject();
        document["options"]!["Detection:Hostname"] = "node2";
        var parsed = SnapshotFile.Parse(document.ToJsonString(), "test");

        var e = Assert.Throws<SnapshotException>(() => new RecordedNode(parsed, new DetectionOptions()).GetHostname());

        Assert.StartsWith("the snapshot records the name Detection:Hostname gave, not the machine's own hostname", e.Message, StringComparison.Ordinal);
        Assert.Equal("node3", new RecordedNode(parsed, new DetectionOptions { Hostname = "Node3" }).GetHostname());
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

    [Fact]
    public void Interfaces_of_a_snapshot_without_carrier_and_link_type_have_carrier_and_no_known_type()
    {
        var parsed = SnapshotFile.Parse(File.ReadAllText(SnapshotFixtures.Paths().First()), "test");
        Assert.All(parsed.Interfaces, n => Assert.Null(n.Carrier));

        var interfaces = new RecordedNode(parsed, new DetectionOptions()).Read();

        Assert.All(interfaces, n => Assert.True(n.HasCarrier));
        Assert.All(interfaces, n => Assert.Null(n.LinkType));
    }

    [Fact]
    public void Recorded_carrier_and_link_type_are_replayed()
    {
        var document = JsonNode.Parse(File.ReadAllText(SnapshotFixtures.Paths().First()))!.AsObject();
        var eth0 = document["interfaces"]!.AsArray().Single(n => (string?)n!["name"] == "eth0")!;
        eth0["carrier"] = false;
        eth0["linkType"] = 65534;

        var nic = new RecordedNode(SnapshotFile.Parse(document.ToJsonString(), "test"), new DetectionOptions()).Read().Single(n => n.Name == "eth0");

        Assert.False(nic.HasCarrier);
        Assert.Equal((ushort)65534, nic.LinkType);
        Assert.True(nic.IsTunnel);
    }

    [Theory]
    [InlineData("70000")]
    [InlineData("\"tun\"")]
    public void Link_type_that_is_no_16_bit_number_is_refused_by_its_field(string value)
    {
        var document = JsonNode.Parse(File.ReadAllText(SnapshotFixtures.Paths().First()))!.AsObject();
        document["interfaces"]![1]!["linkType"] = JsonNode.Parse(value);

        var e = Assert.Throws<SnapshotException>(() => SnapshotFile.Parse(document.ToJsonString(), "test"));

        Assert.Contains("$.interfaces[1].linkType", e.Message, StringComparison.Ordinal);
    }

    private static RecordedNode Node((string Destination, string? Source)[] probes)
    {
        var document = JsonNode.Parse(File.ReadAllText(SnapshotFixtures.Paths().First()))!.AsObject();
        document["probes"] = new JsonArray(probes.Select(p => (JsonNode)new JsonObject { ["destination"] = p.Destination, ["source"] = p.Source }).ToArray());
        return new RecordedNode(SnapshotFile.Parse(document.ToJsonString(), "test"), new DetectionOptions());
    }
}

using System.Text.Json.Nodes;
using K0sNodeIp.Capture;
using K0sNodeIp.Configuration;

namespace K0sNodeIp.Tests.Capture;

/// <summary>A file that is not a snapshot this version can replay is refused with the reason, naming the field.</summary>
public sealed class SnapshotFileTests
{
    [Fact]
    public void Other_schema_version_is_refused_naming_both_versions()
    {
        var document = Fixture();
        document["schemaVersion"] = 2;
        document["takenBy"] = "k0s-node-ip 9.0.0";

        var e = Assert.Throws<SnapshotException>(() => SnapshotFile.Parse(document.ToJsonString(), "bug-1234.json"));

        Assert.Equal(
            $"bug-1234.json is a version 2 snapshot (written by k0s-node-ip 9.0.0); this k0s-node-ip {ProgramInfo.Version} replays version 1 only: replay it with the version that wrote it",
            e.Message);
    }

    [Theory]
    [InlineData("[1, 2]", "is not a k0s-node-ip snapshot: it has no \"schema\"")]
    [InlineData("{\"schema\": \"something-else\", \"schemaVersion\": 1}", "is not a k0s-node-ip snapshot: it has no \"schema\"")]
    [InlineData("{\"hostname\": \"node1\"", "is not a k0s-node-ip snapshot: not JSON")]
    [InlineData("{\"schema\": \"k0s-node-ip/snapshot\"}", "\"schemaVersion\" is missing")]
    public void Something_else_is_refused_as_not_a_snapshot(string text, string expected)
    {
        var e = Assert.Throws<SnapshotException>(() => SnapshotFile.Parse(text, "x.json"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("true")]
    [InlineData("null")]
    public void Schema_version_that_is_not_a_number_is_refused(string version)
    {
        var e = Assert.Throws<SnapshotException>(() => SnapshotFile.Parse($"{{\"schema\": \"k0s-node-ip/snapshot\", \"schemaVersion\": {version}}}", "x.json"));

        Assert.Equal("x.json: \"schemaVersion\" is missing or not a whole number", e.Message);
    }

    [Theory]
    [InlineData("hostname", "$.hostname")]
    [InlineData("interfaces", "$.interfaces")]
    [InlineData("target", "$.target")]
    public void Null_field_is_refused_naming_it(string field, string path)
    {
        var document = Fixture();
        document[field] = null;

        var e = Assert.Throws<SnapshotException>(() => SnapshotFile.Parse(document.ToJsonString(), "x.json"));

        Assert.StartsWith($"x.json: {path}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("interfaces")]
    [InlineData("probes")]
    [InlineData("lookups")]
    public void Deleted_field_a_replay_reads_is_named(string field)
    {
        var document = Fixture();
        document.Remove(field);

        var e = Assert.Throws<SnapshotException>(() => SnapshotFile.Parse(document.ToJsonString(), "x.json"));

        Assert.Contains($"'{field}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleted_interface_flag_is_named_not_defaulted()
    {
        var document = Fixture();
        document["interfaces"]![1]!.AsObject().Remove("up");

        var e = Assert.Throws<SnapshotException>(() => SnapshotFile.Parse(document.ToJsonString(), "x.json"));

        Assert.Contains("'up'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleted_route_file_content_is_named()
    {
        var document = Fixture();
        document["routes"]!["ipv4"]!["content"] = null;
        var parsed = SnapshotFile.Parse(document.ToJsonString(), "x.json");

        var e = Assert.Throws<SnapshotException>(() => new RecordedNode(parsed, new DetectionOptions()));

        Assert.Equal("routes.ipv4.content is missing, but the file existed on the node", e.Message);
    }

    [Fact]
    public void Null_list_entry_is_refused_naming_it()
    {
        var document = Fixture();
        document["interfaces"]![1]!["addresses"]![0] = null;

        var e = Assert.Throws<SnapshotException>(() => SnapshotFile.Parse(document.ToJsonString(), "x.json"));

        Assert.Equal("x.json: interfaces[1].addresses[0] is null", e.Message);
    }

    [Fact]
    public void Missing_required_field_is_named()
    {
        var document = Fixture();
        document.Remove("hostname");

        var e = Assert.Throws<SnapshotException>(() => SnapshotFile.Parse(document.ToJsonString(), "x.json"));

        Assert.Contains("hostname", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_address_is_named_by_its_path_in_the_file()
    {
        var document = Fixture();
        document["interfaces"]![1]!["addresses"]![0]!["address"] = "192.0.2.300/24";
        var parsed = SnapshotFile.Parse(document.ToJsonString(), "x.json");

        var e = Assert.Throws<SnapshotException>(() => new RecordedNode(parsed, new DetectionOptions()));

        Assert.Equal("interfaces[1].addresses[0].address: \"192.0.2.300\" is not an IP address", e.Message);
    }

    private static JsonObject Fixture() =>
        JsonNode.Parse(File.ReadAllText(SnapshotFixtures.Paths().First()))!.AsObject();
}

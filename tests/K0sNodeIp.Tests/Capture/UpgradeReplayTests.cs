using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using K0sNodeIp.Modes;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Capture;

/// <summary>
/// The README's fleet procedure before an upgrade, as a test: the snapshots the previous release took (the fixtures,
/// recorded by 0.2.0 builds, which called themselves 0.1.0) replayed by this release give the pair they recorded,
/// unless CHANGELOG.md's top release names the fixture under "Node IP changes". A change that moves a fixture's pair
/// fails here until its "Node IP changes" entry lands with it.
/// </summary>
public sealed partial class UpgradeReplayTests
{
    public static TheoryData<string> Files() => [.. SnapshotFixtures.Paths().Select(p => Path.GetFileName(p))];

    [Theory]
    [MemberData(nameof(Files))]
    public void Previous_release_snapshot_keeps_its_pair_unless_the_changelog_says_it_moves(string file)
    {
        var path = Path.Combine(SnapshotFixtures.Folder, file);
        var recorded = JsonNode.Parse(File.ReadAllText(path))!["printed"]?["nodeIpFlag"]?.GetValue<string>();
        var stdout = new StringWriter();

        new ReplayMode(path, [], json: true).Run(stdout, new StringWriter());
        var replayed = stdout.ToString().Length == 0 ? null : JsonNode.Parse(stdout.ToString())!["nodeIpFlag"]?.GetValue<string>();

        if (NamedUnderNodeIpChanges().Contains(Path.GetFileNameWithoutExtension(file)))
        {
            Assert.NotEqual(recorded, replayed);
        }
        else
        {
            Assert.Equal(recorded, replayed);
        }
    }

    [Fact]
    public void Every_fixture_the_changelog_names_exists()
    {
        var fixtures = SnapshotFixtures.Paths().Select(Path.GetFileNameWithoutExtension).ToHashSet();

        Assert.All(NamedUnderNodeIpChanges(), name => Assert.Contains(name, fixtures));
    }

    /// <summary>Fixture names (`Name`, without .json) in the top release's "### Node IP changes" section.</summary>
    private static HashSet<string> NamedUnderNodeIpChanges()
    {
        var changelog = File.ReadAllText(Path.Combine(Packages.RepositoryRoot, "CHANGELOG.md"));
        var release = Release().Match(changelog).Value;
        var changes = NodeIpChanges().Match(release).Value;
        return [.. Backticked().Matches(changes).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"(?ms)^## \[\d[^\n]*?(?=^## \[|\z)")]
    private static partial Regex Release();

    [GeneratedRegex(@"(?ms)^### Node IP changes$.*?(?=^### |\z)")]
    private static partial Regex NodeIpChanges();

    [GeneratedRegex(@"`([A-Z][A-Za-z0-9_-]+)`")]
    private static partial Regex Backticked();
}

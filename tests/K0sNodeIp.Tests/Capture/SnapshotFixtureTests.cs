using System.Text.Json.Nodes;
using K0sNodeIp.Modes;
using K0sNodeIp.Report;

namespace K0sNodeIp.Tests.Capture;

/// <summary>
/// Every file in Fixtures/snapshots replays to the --print JSON and text it carries as "printed" and "printedText" (or
/// fails as "printError" says).
/// A user's --snapshot dropped in that folder becomes a regression test: set "printed" to what the node should have
/// printed, and the test fails until the code does. The integration scenarios' snapshots are kept there too
/// (TEST_SAVE_SNAPSHOTS=DIR writes them).
/// </summary>
public sealed class SnapshotFixtureTests
{
    public static TheoryData<string> Files() => [.. SnapshotFixtures.Paths().Select(p => Path.GetFileName(p))];

    [Theory]
    [MemberData(nameof(Files))]
    public void Snapshot_replays_to_what_it_recorded(string file)
    {
        var path = Path.Combine(SnapshotFixtures.Folder, file);
        var recorded = JsonNode.Parse(File.ReadAllText(path))!;
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = new ReplayMode(path, [], json: true).Run(stdout, stderr);

        if (recorded["printError"]?.GetValue<string>() is { } error)
        {
            Assert.Equal(ExitCodes.CannotWrite, exit);
            // After the error's line a replay by another version than the one that took the file adds only a note.
            Assert.Equal($"k0s-node-ip: {error}", stderr.ToString().Trim().Split('\n').Last(l => !l.StartsWith("k0s-node-ip: note: ", StringComparison.Ordinal)));
            return;
        }

        Assert.True(exit is ExitCodes.Success or ExitCodes.NothingDetected, $"exit {exit}: {stderr}");
        Assert.True(JsonNode.DeepEquals(recorded["printed"], JsonNode.Parse(stdout.ToString())), $"{file} replays to:\n{stdout}");

        // The text too, when the file has it (a hand-made regression file may give only "printed").
        if (recorded["printedText"]?.GetValue<string>() is { } text)
        {
            var textOut = new StringWriter();
            new ReplayMode(path, [], json: false).Run(textOut, new StringWriter());
            Assert.Equal(text, textOut.ToString());
        }
    }

    [Fact]
    public void Fixture_folder_holds_the_scenario_snapshots()
    {
        // Guards the theory above: an empty folder would pass it for the wrong reason.
        Assert.True(SnapshotFixtures.Paths().Count() >= 20, $"only {SnapshotFixtures.Paths().Count()} snapshots in {SnapshotFixtures.Folder}");
    }
}

using System.Text.Json.Nodes;
using K0sNodeIp.Tests.Capture;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// --print --from-snapshot needs neither root nor a network: the shipped binary replays a kept snapshot as an
/// unprivileged user in an empty network namespace. (Each detection scenario also replays its own snapshot: TestNode.Print.)
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class SnapshotReplayTests
{
    [RootFact]
    public void Replay_runs_unprivileged_without_a_network()
    {
        var folder = Directory.CreateTempSubdirectory("k0snip-replay-");
        try
        {
            File.SetUnixFileMode(folder.FullName, (UnixFileMode)0x1ED); // 0755
            var fixture = SnapshotFixtures.Paths().First();
            var snapshot = Path.Combine(folder.FullName, "snapshot.json");
            File.Copy(fixture, snapshot);
            File.SetUnixFileMode(snapshot, (UnixFileMode)0x1A4); // 0644
            var command = ProgramUnderTest.Command.ToList();
            if (command.Count == 1)
            {
                // The AOT binary, where an unprivileged user can run it.
                var binary = Path.Combine(folder.FullName, "k0s-node-ip");
                File.Copy(command[0], binary);
                File.SetUnixFileMode(binary, (UnixFileMode)0x1ED);
                command = [binary];
            }

            // As nobody when the binary is the AOT one (the dotnet host may live under /root), always without a network.
            IEnumerable<string> user = command.Count == 1 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [];
            var result = ProcessRunner.Run("unshare", ["--net", .. user, .. command, "--print", "--json", "--from-snapshot", snapshot], check: false);

            Assert.True(result.ExitCode is 0 or 1, $"exit {result.ExitCode}: {result.Stderr}");
            var recorded = JsonNode.Parse(File.ReadAllText(fixture))!["printed"];
            Assert.True(JsonNode.DeepEquals(recorded, JsonNode.Parse(result.Stdout)), result.Stdout);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

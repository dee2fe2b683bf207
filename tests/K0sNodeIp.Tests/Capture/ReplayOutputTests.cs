using K0sNodeIp.Modes;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Capture;

/// <summary>
/// The outputs a refactoring must not change (issue 31): every fixture snapshot replayed with --print and --print --json
/// gives, byte for byte, the output kept beside the fixtures, with its exit code. A change that means to alter them
/// regenerates the files with K0SNODEIP_UPDATE_REPLAY_OUTPUTS=1 and shows the difference in its commit.
/// </summary>
public sealed class ReplayOutputTests
{
    private static readonly string Outputs = Path.Combine(Packages.RepositoryRoot, "tests", "K0sNodeIp.Tests", "Fixtures", "replay-outputs");

    public static TheoryData<string, bool> Cases()
    {
        var cases = new TheoryData<string, bool>();
        foreach (var name in SnapshotFixtures.Paths().Select(Path.GetFileNameWithoutExtension))
        {
            cases.Add(name!, false);
            cases.Add(name!, true);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Replay_gives_the_kept_output_byte_for_byte(string fixture, bool json)
    {
        var stdout = new StringWriter();
        var exit = new ReplayMode(Path.Combine(SnapshotFixtures.Folder, fixture + ".json"), [], json).Run(stdout, new StringWriter());
        var output = $"exit {exit}\n{stdout}";

        var kept = Path.Combine(Outputs, fixture + (json ? ".print.json" : ".print.txt"));
        if (Environment.GetEnvironmentVariable("K0SNODEIP_UPDATE_REPLAY_OUTPUTS") == "1")
        {
            Directory.CreateDirectory(Outputs);
            File.WriteAllText(kept, output);
        }

        Assert.True(File.Exists(kept), $"{kept} is missing: run the tests once with K0SNODEIP_UPDATE_REPLAY_OUTPUTS=1 and commit it");
        Assert.Equal(File.ReadAllText(kept), output);
    }
}

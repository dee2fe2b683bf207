using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Hardening;

public sealed class HostStateFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-host-state").FullName;

    [Fact]
    public void A_run_that_names_no_state_file_records_into_the_suites_sandbox_and_leaves_the_hosts_folder_alone()
    {
        var before = Listing(HostStateSandbox.HostStateFolder);
        File.Delete(HostStateSandbox.StateFile);
        var target = Path.Combine(_dir, "node-ip");

        var result = ProcessRunner.Run(ProgramUnderTest.Command[0], [.. ProgramUnderTest.Command.Skip(1), "--once", "--Target:Kind=file", $"--Target:Path={target}",
            "--Reload:Mode=none", "--Detection:StaticIPv4=192.0.2.10", "--Detection:StaticIPv6=2001:db8::10"], check: false);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains(target, File.ReadAllText(HostStateSandbox.StateFile), StringComparison.Ordinal);
        Assert.Equal(before, Listing(HostStateSandbox.HostStateFolder));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Each file with its size and time of change, or nothing when the folder does not exist.</summary>
    private static string[] Listing(string folder) => Directory.Exists(folder)
        ? [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}")]
        : [];
}

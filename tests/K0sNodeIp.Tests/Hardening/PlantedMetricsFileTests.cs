using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Hardening;

/// <summary>
/// Something planted where the previous metrics file is read back (its folder may belong to another user): a FIFO hung
/// every mode before its first log line, a symlink to /dev/zero ended in an out-of-memory abort, and a symlink to a
/// root-only file had its lines copied into the world-readable metrics file. Each is now "no previous counters", with a
/// warning, and the file is replaced.
/// </summary>
[Collection(Integration.IntegrationCollection.Name)]
public sealed class PlantedMetricsFileTests : IDisposable
{
    private const string Secret = "k0s_node_ip_restarts_total 4242\nsecret-token-line\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-planted").FullName;

    [RootTheory]
    [InlineData("fifo")]
    [InlineData("symlink to /dev/zero")]
    [InlineData("symlink to a root-only file")]
    public void Check_reads_no_counters_from_a_planted_file_and_replaces_it(string planted)
    {
        var prom = Path.Combine(_dir, "k0s_node_ip.prom");
        var secret = Path.Combine(_dir, "secret");
        File.WriteAllText(secret, Secret);
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        switch (planted)
        {
            case "fifo":
                ProcessRunner.Run("mkfifo", prom);
                break;
            case "symlink to /dev/zero":
                File.CreateSymbolicLink(prom, "/dev/zero");
                break;
            default:
                File.CreateSymbolicLink(prom, secret);
                break;
        }

        var check = ProcessRunner.Run(ProgramUnderTest.Command[0], [.. ProgramUnderTest.Command.Skip(1), "--check", "--Target:Kind=file",
            $"--Target:Path={Path.Combine(_dir, "node-ip")}", $"--Metrics:TextfilePath={prom}", "--Detection:StaticIPv4=192.0.2.10", "--Detection:StaticIPv6=2001:db8::10"],
            check: false, TimeSpan.FromSeconds(30));

        Assert.True(check.ExitCode is 1 or 3, $"exit {check.ExitCode}: {check.Stderr}");
        Assert.Contains($"the previous metrics file {prom} is not read", check.Stderr, StringComparison.Ordinal);
        var written = File.ReadAllText(prom);
        Assert.Contains("k0s_node_ip_", written, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token-line", written, StringComparison.Ordinal);
        Assert.DoesNotContain("4242", written, StringComparison.Ordinal);
        Assert.Equal(Secret, File.ReadAllText(secret));
    }

    public void Dispose() => ProcessRunner.Run("rm", ["-rf", _dir], check: false);
}

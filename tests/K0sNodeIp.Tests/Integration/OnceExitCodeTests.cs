using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>--once tells a failed restart (75, the file written) from a target it cannot write (74, the file kept).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class OnceExitCodeTests
{
    [RootFact]
    public void Written_file_with_a_failed_restart_exits_75_not_74()
    {
        // No systemd answers in this node (neither its bus nor systemctl): the restart cannot succeed.
        using var node = TestNode.DualStack();
        node.StartDns("node1,192.0.2.10,2001:db8::10");
        var target = Path.Combine(Path.GetTempPath(), node.Name + "-node-ip");
        try
        {
            var once = ProcessRunner.Run("ip", ["netns", "exec", node.Name, .. ProgramUnderTest.Command, "--once", "--Detection:Hostname=node1",
                "--Target:Kind=file", $"--Target:Path={target}", "--Target:Unit=kubelet", "--Reload:Attempts=1"], check: false);

            Assert.Equal("--node-ip=192.0.2.10,2001:db8::10\n", File.ReadAllText(target));
            Assert.Contains("restarting kubelet failed", once.Stderr, StringComparison.Ordinal);
            Assert.Equal(75, once.ExitCode);
        }
        finally
        {
            File.Delete(target);
        }
    }

    [RootFact]
    public void Allowed_cidrs_that_leave_a_held_family_empty_keep_it_in_the_file_and_exit_4()
    {
        // Issue 32: the IPv6 change is applied, IPv4 (outside the too-narrow AllowedCidrs) keeps the address the file holds.
        using var node = TestNode.DualStack();
        node.StartDns("node1,192.0.2.10,2001:db8::10");
        var target = Path.Combine(Path.GetTempPath(), node.Name + "-node-ip");
        try
        {
            File.WriteAllText(target, "--node-ip=192.0.2.10,2001:db8::99\n");
            var once = ProcessRunner.Run("ip", ["netns", "exec", node.Name, .. ProgramUnderTest.Command, "--once", "--Detection:Hostname=node1",
                "--Target:Kind=file", $"--Target:Path={target}", "--Reload:Mode=none", "--Detection:AllowedCidrs:0=10.0.0.0/8", "--Detection:AllowedCidrs:1=2001:db8::/64"], check: false);

            Assert.Equal("--node-ip=192.0.2.10,2001:db8::10\n", File.ReadAllText(target));
            Assert.Equal(4, once.ExitCode);

            // Without a held IPv4 address there is nothing to keep: the single-stack pair is what the settings give.
            File.WriteAllText(target, "--node-ip=2001:db8::10\n");
            var single = ProcessRunner.Run("ip", ["netns", "exec", node.Name, .. ProgramUnderTest.Command, "--once", "--Detection:Hostname=node1",
                "--Target:Kind=file", $"--Target:Path={target}", "--Reload:Mode=none", "--Detection:AllowedCidrs:0=10.0.0.0/8"], check: false);
            Assert.Equal(0, single.ExitCode);
            Assert.Equal("--node-ip=2001:db8::10\n", File.ReadAllText(target));
        }
        finally
        {
            File.Delete(target);
        }
    }

    [RootFact]
    public void Once_without_the_k0s_unit_exits_74_with_an_error_line_saying_nothing_was_written()
    {
        var units = Directory.CreateTempSubdirectory("k0snip-nounit").FullName;
        try
        {
            var once = ProcessRunner.Run(ProgramUnderTest.Command[0], [.. ProgramUnderTest.Command.Skip(1), "--once", $"--Target:UnitDirectory={units}",
                "--Reload:Mode=none", $"--Reload:StateFile={units}/state.json", "--Detection:StaticIPv4=192.0.2.10", "--Detection:StaticIPv6=2001:db8::10"], check: false);

            Assert.Equal(74, once.ExitCode);
            var last = once.Stderr.TrimEnd('\n').Split('\n')[^1];
            Assert.StartsWith("k0s-node-ip: --once: nothing was written", last, StringComparison.Ordinal);
            Assert.DoesNotContain(Directory.GetFileSystemEntries(units), e => e.EndsWith(".conf", StringComparison.Ordinal) || e.EndsWith(".service.d", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(units, recursive: true);
        }
    }
}

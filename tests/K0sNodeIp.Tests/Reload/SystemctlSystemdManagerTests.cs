using K0sNodeIp.Reload;

namespace K0sNodeIp.Tests.Reload;

/// <summary>The systemctl fallback against a stand-in systemctl: its error output reaches the error, not the void.</summary>
public sealed class SystemctlSystemdManagerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-systemctl").FullName;

    [Fact]
    public async Task Failed_try_restart_carries_systemctls_own_words()
    {
        var systemctl = StandIn("""
            #!/bin/sh
            echo "Job for kubelet.service failed because the control process exited with error code." >&2
            exit 1
            """);

        var error = await Assert.ThrowsAsync<SystemdException>(() => new SystemctlSystemdManager(systemctl).TryRestartUnitAsync("kubelet", true, CancellationToken.None));

        Assert.Contains("try-restart kubelet exited 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("the control process exited with error code", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Try_restart_is_what_is_asked_so_a_stopped_unit_stays_stopped()
    {
        var log = Path.Combine(_dir, "calls");
        var systemctl = StandIn($"#!/bin/sh\necho \"$@\" >> {log}\n");

        Assert.Equal(JobResult.Done, await new SystemctlSystemdManager(systemctl).TryRestartUnitAsync("k0sworker", true, CancellationToken.None));
        Assert.Equal("try-restart k0sworker\n", File.ReadAllText(log));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string StandIn(string script)
    {
        var path = Path.Combine(_dir, "systemctl");
        File.WriteAllText(path, script.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}

using System.Text;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Hardening;

/// <summary>
/// The real program (--once) against hostile targets: each ends in a clear error (exit 74, file intact) or
/// a correct merge, never a truncated or half-written file.
/// </summary>
[Collection(Integration.IntegrationCollection.Name)]
public sealed class HostileFileTests : IDisposable
{
    private const string Pair = "--node-ip=192.0.2.10,2001:db8::10";
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-hostile").FullName;

    [Fact]
    public void Symlinked_drop_in_is_refused_and_its_target_kept()
    {
        var real = Path.Combine(_dir, "elsewhere.conf");
        File.WriteAllText(real, "keep me\n");
        InstallUnit("[Service]\nExecStart=/usr/local/bin/k0s worker\n");
        Directory.CreateDirectory(Path.Combine(_dir, "k0sworker.service.d"));
        File.CreateSymbolicLink(Path.Combine(_dir, "k0sworker.service.d", "50-k0s-node-ip.conf"), real);

        var result = Once("--Target:Kind=k0s");

        Assert.Equal(74, result.ExitCode);
        Assert.Contains("symlink", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("keep me\n", File.ReadAllText(real));
    }

    [Fact]
    public void Drop_in_path_that_is_a_folder_is_refused()
    {
        InstallUnit("[Service]\nExecStart=/usr/local/bin/k0s worker\n");
        Directory.CreateDirectory(Path.Combine(_dir, "k0sworker.service.d", "50-k0s-node-ip.conf"));

        var result = Once("--Target:Kind=k0s");

        Assert.Equal(74, result.ExitCode);
        Assert.Contains("is a folder", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_unit_file_and_missing_environment_folder_are_clear_errors()
    {
        var k0s = Once("--Target:Kind=k0s");
        var kubeadm = Once("--Target:Kind=kubeadm", $"--Target:EnvironmentFile={_dir}/no-such-folder/kubelet");

        Assert.Equal(74, k0s.ExitCode);
        Assert.Contains("k0sworker.service does not exist", k0s.Stderr, StringComparison.Ordinal);
        Assert.Equal(74, kubeadm.ExitCode);
        Assert.Contains("does not exist", kubeadm.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_with_unusual_escaping_round_trips_into_the_drop_in()
    {
        InstallUnit("[Service]\nExecStart=/usr/local/bin/k0s worker \"--labels=a=b c\" --kubelet-extra-args='--v=2\\t--x=%%h' \\\n  --token-file=/etc/k0s/tok\\x20en\n");

        var result = Once("--Target:Kind=k0s");

        Assert.Equal(0, result.ExitCode);
        var dropIn = File.ReadAllText(Path.Combine(_dir, "k0sworker.service.d", "50-k0s-node-ip.conf"));
        Assert.Contains("ExecStart=/usr/local/bin/k0s worker --labels=a=b\\x20c --kubelet-extra-args=--v=2\\x20--x=%%h\\x20" + Pair + " --token-file=/etc/k0s/tok\\x20en\n", dropIn, StringComparison.Ordinal);
    }

    [Fact]
    public void One_megabyte_environment_file_of_noise_is_merged_keeping_every_other_byte()
    {
        var noise = new StringBuilder();
        var random = new Random(42);
        while (noise.Length < 1024 * 1024)
        {
            noise.Append("# ").Append(Convert.ToBase64String(BitConverter.GetBytes(random.NextInt64()))).Append(" \\ \" ' $ % ;\r\n");
            noise.Append("NOISE_").Append(noise.Length).Append("=\"").Append(random.Next()).Append("\"\n");
        }

        var before = noise + "KUBELET_EXTRA_ARGS=--v=2\r\n" + noise;
        var path = Path.Combine(_dir, "kubelet");
        File.WriteAllText(path, before);

        var result = Once("--Target:Kind=kubeadm", $"--Target:EnvironmentFile={path}");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(noise + "KUBELET_EXTRA_ARGS=--v=2 " + Pair + "\r\n" + noise, File.ReadAllText(path));
    }

    [RootFact]
    public void Read_only_mount_is_an_error_and_the_file_stays()
    {
        var path = Path.Combine(_dir, "ro", "kubelet");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "KUBELET_EXTRA_ARGS=--v=2\n");
        var mount = Path.GetDirectoryName(path)!;
        ProcessRunner.Run("mount", "--bind", mount, mount);
        try
        {
            ProcessRunner.Run("mount", "-o", "remount,ro,bind", mount);

            var result = Once("--Target:Kind=kubeadm", $"--Target:EnvironmentFile={path}");

            Assert.Equal(74, result.ExitCode);
            // Named by the file, the read-only folder and the fix, not by the temporary file the refusal hit.
            Assert.Contains($"cannot write {path}: {mount} is read-only", result.Stderr, StringComparison.Ordinal);
            Assert.Contains($"ReadWritePaths={mount}", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(".tmp.", result.Stderr, StringComparison.Ordinal);
            Assert.Equal("KUBELET_EXTRA_ARGS=--v=2\n", File.ReadAllText(path));
        }
        finally
        {
            ProcessRunner.Run("umount", [mount], check: false);
        }
    }

    [RootFact]
    public void Disk_full_keeps_the_old_file_whole_and_the_daemon_writes_once_space_is_back()
    {
        var mount = Path.Combine(_dir, "full");
        Directory.CreateDirectory(mount);
        ProcessRunner.Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount);
        try
        {
            var path = Path.Combine(mount, "node-ip");
            File.WriteAllText(path, "old\n");
            var filler = Path.Combine(mount, "filler");
            ProcessRunner.Run("sh", ["-c", $"dd if=/dev/zero of={filler} bs=4k 2>/dev/null; true"], check: false);

            var once = Once("--Target:Kind=file", $"--Target:Path={path}", $"--Target:Template={{nodeIpFlag}} {new string('x', 16384)}");
            Assert.Equal(74, once.ExitCode);
            Assert.Contains("No space left on device", once.Stderr, StringComparison.Ordinal);
            Assert.Equal("old\n", File.ReadAllText(path));

            using var agent = new DaemonProcess(ProgramUnderTest.Command[0], [.. ProgramUnderTest.Command.Skip(1), "--Target:Kind=file", $"--Target:Path={path}",
                $"--Target:Template={{nodeIpFlag}} {new string('x', 16384)}", "--Reload:Mode=none", "--Watch:RetryBackoff=00:00:00.2",
                "--Detection:StaticIPv4=192.0.2.10", "--Detection:StaticIPv6=2001:db8::10"]);
            Assert.True(DaemonProcess.WaitFor(() => agent.Log.Contains("No space left on device", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), agent.Log);
            Assert.Equal("old\n", File.ReadAllText(path));

            File.Delete(filler);
            Assert.True(DaemonProcess.WaitFor(() => File.ReadAllText(path).StartsWith(Pair + " x", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), agent.Log);
        }
        finally
        {
            ProcessRunner.Run("umount", ["-l", mount], check: false);
        }
    }

    [RootFact]
    public void Permission_denied_keeps_the_old_file()
    {
        var folder = Path.Combine(_dir, "root-only");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(_dir, File.GetUnixFileMode(_dir) | UnixFileMode.OtherExecute);
        var path = Path.Combine(folder, "node-ip");
        File.WriteAllText(path, "old\n");

        var result = ProcessRunner.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", .. ProgramUnderTest.Command, "--once",
            "--Target:Kind=file", $"--Target:Path={path}", "--Detection:StaticIPv4=192.0.2.10", "--Detection:StaticIPv6=2001:db8::10"], check: false);

        Assert.Equal(74, result.ExitCode);
        Assert.Contains("denied", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("old\n", File.ReadAllText(path));
    }

    public void Dispose()
    {
        ProcessRunner.Run("rm", ["-rf", _dir], check: false);
    }

    private void InstallUnit(string text) => File.WriteAllText(Path.Combine(_dir, "k0sworker.service"), text);

    private ProcessRunner.Result Once(params string[] args) =>
        ProcessRunner.Run(ProgramUnderTest.Command[0], [.. ProgramUnderTest.Command.Skip(1), "--once", $"--Target:UnitDirectory={_dir}",
            "--Reload:Mode=none", "--Detection:StaticIPv4=192.0.2.10", "--Detection:StaticIPv6=2001:db8::10", .. args], check: false);
}

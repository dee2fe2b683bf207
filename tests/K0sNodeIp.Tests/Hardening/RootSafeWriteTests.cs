using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Hardening;

/// <summary>
/// Root's writes where another user can write the folder (issue: a symlink swapped over the temporary name during the
/// fsync made root chmod the symlink's target): root's own files are refused there, naming the folder, its owner and
/// mode; what may go there (the metrics, a snapshot) is written with every call relative to the folder opened once,
/// which strace shows: no chmod, chown or rename by path in that folder.
/// </summary>
[Collection(Integration.IntegrationCollection.Name)]
public sealed class RootSafeWriteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-rootsafe").FullName;

    [RootFact]
    public void Root_refuses_its_target_in_a_folder_another_user_owns_naming_the_folder_its_owner_and_mode()
    {
        var folder = UsersFolder();
        var path = Path.Combine(folder, "kubelet");
        File.WriteAllText(path, "KUBELET_EXTRA_ARGS=--v=2\n");

        var result = Once("--Target:Kind=kubeadm", $"--Target:EnvironmentFile={path}");

        Assert.Equal(74, result.ExitCode);
        Assert.Contains($"refusing to write {path}: its folder {folder} can be written by others than root (owner 65534:65534, mode 755)", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("KUBELET_EXTRA_ARGS=--v=2\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    [RootFact]
    public void Metrics_and_snapshot_written_into_a_users_folder_name_nothing_by_path_there()
    {
        var folder = UsersFolder();
        var trace = Path.Combine(_dir, "trace");
        var target = Path.Combine(_dir, "node-ip");

        var check = Traced(trace, "--check", "--Target:Kind=file", $"--Target:Path={target}", $"--Metrics:TextfilePath={folder}/k0s_node_ip.prom");
        var snapshot = Traced(trace + "-snapshot", "--snapshot", Path.Combine(folder, "node.json"), "--Target:Kind=file", $"--Target:Path={target}");

        Assert.True(File.Exists(Path.Combine(folder, "k0s_node_ip.prom")), check.Stderr);
        Assert.True(snapshot.ExitCode == 0, snapshot.Stderr);
        Assert.True(File.Exists(Path.Combine(folder, "node.json")), snapshot.Stderr);
        var byPath = File.ReadAllLines(trace).Concat(File.ReadAllLines(trace + "-snapshot"))
            .Where(l => l.Contains(folder, StringComparison.Ordinal) && (l.Contains("chmod(", StringComparison.Ordinal) || l.Contains("chown(", StringComparison.Ordinal)
                || l.Contains("rename(", StringComparison.Ordinal) || l.Contains("AT_FDCWD", StringComparison.Ordinal) && (l.Contains("renameat", StringComparison.Ordinal)
                || l.Contains("fchmodat", StringComparison.Ordinal) || l.Contains("fchownat", StringComparison.Ordinal))))
            .ToList();
        Assert.True(byPath.Count == 0, string.Join('\n', byPath));
        var relative = File.ReadAllLines(trace).Where(l => l.Contains("renameat", StringComparison.Ordinal) && l.Contains("k0s_node_ip.prom", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(relative);
    }

    [RootFact]
    public void A_user_racing_the_snapshot_writer_with_inotify_and_rename_cannot_make_root_change_another_file()
    {
        var folder = UsersFolder();
        var secret = Path.Combine(_dir, "root-only");
        File.WriteAllText(secret, "root's secret\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var attacker = Path.Combine(_dir, "swap-attacker");
        File.WriteAllText(attacker + ".c", SwapAttacker);
        ProcessRunner.Run("cc", "-O2", "-o", attacker, attacker + ".c");
        File.SetUnixFileMode(attacker, (UnixFileMode)0b111_101_101);

        // The attacker, as uid 65534, swaps a symlink to the root-only file over each temporary file root creates in its
        // folder, as fast as inotify tells it; it stops after 3 swaps. Root snapshots into the folder until then.
        using var attack = new DaemonProcess("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", attacker, folder, secret, "3"]);
        Assert.True(DaemonProcess.WaitFor(() => attack.Log.Contains("watching", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), attack.Log);
        for (var run = 0; run < 200 && !attack.HasExited; run++)
        {
            ProcessRunner.Run("rm", ["-f", Path.Combine(folder, "node.json")], check: false);
            ProcessRunner.Run(ProgramUnderTest.Command[0], [.. ProgramUnderTest.Command.Skip(1), "--snapshot", Path.Combine(folder, "node.json"), "--Target:Kind=file",
                $"--Target:Path={Path.Combine(_dir, "node-ip")}", "--Detection:StaticIPv4=192.0.2.10", "--Detection:StaticIPv6=2001:db8::10"], check: false);
        }

        Assert.True(DaemonProcess.WaitFor(() => attack.Log.Contains("swapped 3", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), "the attacker did not win 3 races: " + attack.Log);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
        Assert.Equal("root's secret\n", File.ReadAllText(secret));
        Assert.Equal("0", ProcessRunner.Run("stat", "-c", "%u", secret).Stdout.Trim());
    }

    [RootFact]
    public void A_snapshot_into_a_folder_the_user_cannot_write_names_that_folder_not_a_temporary_file()
    {
        var folder = Path.Combine(_dir, "roots");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(_dir, File.GetUnixFileMode(_dir) | UnixFileMode.OtherExecute);
        var path = Path.Combine(folder, "node.json");

        var snapshot = ProcessRunner.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", .. ProgramUnderTest.Command, "--snapshot", path,
            "--Target:Kind=file", $"--Target:Path={Path.Combine(_dir, "node-ip")}", "--Detection:StaticIPv4=192.0.2.10", "--Detection:StaticIPv6=2001:db8::10",
            "--Metrics:TextfilePath="], check: false);

        Assert.Equal(74, snapshot.ExitCode);
        Assert.Contains($"{path}: permission denied in {folder}", snapshot.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(".k0s-node-ip.tmp", snapshot.Stderr, StringComparison.Ordinal);
    }

    /// <summary>An unprivileged racer: inotify on the folder, and a symlink renamed over every new temporary file.</summary>
    private const string SwapAttacker = """
        #include <poll.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/inotify.h>
        #include <unistd.h>

        int main(int argc, char **argv) {
            int fd = inotify_init1(0), wanted = atoi(argv[3]), swaps = 0;
            if (chdir(argv[1]) != 0 || fd < 0 || inotify_add_watch(fd, ".", IN_CREATE) < 0) return 2;
            printf("watching\n");
            fflush(stdout);
            char buffer[8192] __attribute__((aligned(8)));
            while (swaps < wanted) {
                ssize_t n = read(fd, buffer, sizeof buffer);
                for (char *p = buffer; n > 0 && p < buffer + n;) {
                    struct inotify_event *e = (struct inotify_event *) p;
                    if (e->len && strstr(e->name, ".k0s-node-ip.tmp.")) {
                        unlink("swap");
                        if (symlink(argv[2], "swap") == 0 && rename("swap", e->name) == 0) swaps++;
                    }
                    p += sizeof *e + e->len;
                }
            }
            printf("swapped %d\n", swaps);
            return 0;
        }
        """;

    public void Dispose() => ProcessRunner.Run("rm", ["-rf", _dir], check: false);

    /// <summary>A folder the unprivileged user 65534 owns (as node_exporter's parent folder belongs to the prometheus user).</summary>
    private string UsersFolder()
    {
        var folder = Path.Combine(_dir, "users");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(_dir, File.GetUnixFileMode(_dir) | UnixFileMode.OtherExecute);
        ProcessRunner.Run("chown", "65534:65534", folder);
        return folder;
    }

    private static ProcessRunner.Result Traced(string trace, params string[] args) =>
        ProcessRunner.Run("strace", ["-f", "-qq", "-o", trace, "-e", "trace=chmod,fchmod,fchmodat,chown,lchown,fchown,fchownat,rename,renameat,renameat2",
            .. ProgramUnderTest.Command, .. args, "--Detection:StaticIPv4=192.0.2.10", "--Detection:StaticIPv6=2001:db8::10"], check: false);

    private ProcessRunner.Result Once(params string[] args) =>
        ProcessRunner.Run(ProgramUnderTest.Command[0], [.. ProgramUnderTest.Command.Skip(1), "--once", $"--Target:UnitDirectory={_dir}",
            "--Reload:Mode=none", "--Detection:StaticIPv4=192.0.2.10", "--Detection:StaticIPv6=2001:db8::10", .. args], check: false);
}

using K0sNodeIp.Check;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Check;

public sealed class KubeletProcessFinderTests : IDisposable
{
    private readonly string _proc = Directory.CreateTempSubdirectory("k0snip-proc").FullName;

    [Fact]
    public void Finds_processes_named_kubelet_with_their_last_node_ip_and_parent()
    {
        Process(1, "systemd", 0, "/sbin/init");
        Process(100, "k0s", 1, "/usr/local/bin/k0s", "worker", "--kubelet-extra-args=--node-ip=192.0.2.1");
        Process(200, "kubelet", 100, "/var/lib/k0s/bin/kubelet", "--config=/var/lib/k0s/kubelet-config.yaml", "--node-ip=192.0.2.5", "--v=1", "--node-ip=192.0.2.10,2001:db8::10");
        Process(300, "kubelet", 1, "/usr/bin/kubelet", "--node-ip", "2001:db8::20");
        Process(400, "kubelet-helper", 1, "/usr/bin/kubelet-helper", "--node-ip=192.0.2.99");
        Process(500, "kubelet", 1); // a zombie: empty cmdline
        Directory.CreateDirectory(Path.Combine(_proc, "self"));

        var found = new KubeletProcessFinder(_proc).Find();

        Assert.Equal(
            [new KubeletProcess(200, "192.0.2.10,2001:db8::10", "k0s", "root's"), new KubeletProcess(300, "2001:db8::20", "systemd", "root's")],
            found);
    }

    [Fact]
    public void Node_ip_parsing_stops_at_a_double_dash_and_ignores_argv0()
    {
        Assert.Null(KubeletProcessFinder.NodeIp(["--node-ip=192.0.2.1"]));
        Assert.Equal("192.0.2.1", KubeletProcessFinder.NodeIp(["kubelet", "--node-ip=192.0.2.1", "--", "--node-ip=192.0.2.2"]));
        Assert.Null(KubeletProcessFinder.NodeIp(["kubelet", "--node-ip"]));
    }

    [Fact]
    public void Missing_proc_finds_nothing()
    {
        Assert.Empty(new KubeletProcessFinder(Path.Combine(_proc, "absent")).Find());
    }

    [Fact]
    public void Only_roots_kubelet_in_the_units_cgroup_is_compared_and_the_others_are_named_with_why()
    {
        Process(1, "systemd", 0, "/sbin/init");
        Process(200, "kubelet", 1, 0, "0::/system.slice/k0sworker.service", "/var/lib/k0s/bin/kubelet", "--node-ip=192.0.2.10");
        Process(300, "kubelet", 1, 1000, "0::/user.slice/user-1000.slice/session-3.scope", "/tmp/kubelet", "--node-ip=6.6.6.6");
        Process(400, "kubelet", 1, 0, "0::/system.slice/cron.service", "/tmp/kubelet", "--node-ip=6.6.6.7");

        var search = new KubeletProcessFinder(_proc, "k0sworker").Search();

        Assert.Equal([new KubeletProcess(200, "192.0.2.10", "systemd", "root's, in k0sworker.service")], search.Compared);
        Assert.Equal(
            ["PID 300 is named kubelet but runs as uid 1000, not root", "PID 400 is root's kubelet but runs outside k0sworker.service (cgroup /system.slice/cron.service), where another one runs"],
            search.PassedOver);
    }

    [Fact]
    public void Roots_kubelet_is_compared_when_the_unit_runs_none_as_without_systemd()
    {
        Process(200, "kubelet", 1, 0, "0::/user.slice/session-1.scope", "/usr/bin/kubelet", "--node-ip=192.0.2.10");

        var search = new KubeletProcessFinder(_proc, "kubelet").Search();

        Assert.Equal([new KubeletProcess(200, "192.0.2.10", null, "root's")], search.Compared);
    }

    [Fact]
    public void An_argv_over_the_bound_is_not_compared()
    {
        Process(200, "kubelet", 1, "/usr/bin/kubelet", "--node-ip=6.6.6.6", new string('x', KubeletProcessFinder.MaxArgvBytes));

        var search = new KubeletProcessFinder(_proc).Search();

        Assert.Empty(search.Compared);
        Assert.Equal(["PID 200 has an argv over 256 KiB, not a kubelet's"], search.PassedOver);
    }

    [RootFact]
    public void A_real_unprivileged_process_named_kubelet_is_passed_over_and_named()
    {
        // A copy of bash renamed kubelet, as any user can make one, with a --node-ip in its argv; it waits on its stdin.
        var bin = Directory.CreateTempSubdirectory("k0snip-impostor").FullName;
        try
        {
            File.SetUnixFileMode(bin, (UnixFileMode)0b111_101_101);
            var impostor = Path.Combine(bin, "kubelet");
            File.Copy("/bin/bash", impostor);
            var info = new System.Diagnostics.ProcessStartInfo("setpriv") { RedirectStandardInput = true, UseShellExecute = false };
            foreach (var arg in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", impostor, "-c", "read line", "--node-ip=6.6.6.6" })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = System.Diagnostics.Process.Start(info)!;
            try
            {
                // setpriv execs the impostor in place: wait until /proc shows it under its new name.
                var comm = Path.Combine("/proc", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "comm");
                for (var i = 0; i < 500 && (File.Exists(comm) ? File.ReadAllText(comm).Trim() : "") != "kubelet"; i++)
                {
                    Thread.Sleep(10);
                }

                var search = new KubeletProcessFinder().Search();

                Assert.DoesNotContain(search.Compared, k => k.Pid == process.Id);
                Assert.Contains($"PID {process.Id} is named kubelet but runs as uid 65534, not root", search.PassedOver);
            }
            finally
            {
                process.Kill();
                process.WaitForExit();
            }
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    private void Process(int pid, string comm, int parent, params string[] argv) => Process(pid, comm, parent, 0, "0::/system.slice/k0sworker.service", argv);

    private void Process(int pid, string comm, int parent, int uid, string cgroup, params string[] argv)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_proc, pid.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
        File.WriteAllText(Path.Combine(dir, "status"), $"Name:\t{comm}\nUid:\t{uid}\t{uid}\t{uid}\t{uid}\nGid:\t0\t0\t0\t0\n");
        File.WriteAllText(Path.Combine(dir, "cgroup"), cgroup + "\n");
        File.WriteAllText(Path.Combine(dir, "comm"), comm + "\n");
        File.WriteAllText(Path.Combine(dir, "cmdline"), argv.Length == 0 ? "" : string.Join('\0', argv) + "\0");
        File.WriteAllText(Path.Combine(dir, "stat"), $"{pid} ({comm}) S {parent} {pid} {pid} 0 -1\n");
    }
}

using K0sNodeIp.Check;

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
            [new KubeletProcess(200, "192.0.2.10,2001:db8::10", "k0s"), new KubeletProcess(300, "2001:db8::20", "systemd")],
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

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    private void Process(int pid, string comm, int parent, params string[] argv)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_proc, pid.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
        File.WriteAllText(Path.Combine(dir, "comm"), comm + "\n");
        File.WriteAllText(Path.Combine(dir, "cmdline"), argv.Length == 0 ? "" : string.Join('\0', argv) + "\0");
        File.WriteAllText(Path.Combine(dir, "stat"), $"{pid} ({comm}) S {parent} {pid} {pid} 0 -1\n");
    }
}

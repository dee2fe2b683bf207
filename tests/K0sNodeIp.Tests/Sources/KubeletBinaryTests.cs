using K0sNodeIp.Node;
using K0sNodeIp.Sources;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Sources;

/// <summary>
/// Static vs dynamic ELF, on binaries built here from a one-line C program, and finding the kubelet binary through
/// its unit's effective ExecStart.
/// </summary>
public sealed class KubeletBinaryTests : IClassFixture<KubeletBinaryTests.Binaries>
{
    private readonly Binaries _binaries;

    public KubeletBinaryTests(Binaries binaries) => _binaries = binaries;

    [Fact]
    public void Static_build_has_no_interpreter_and_dynamic_build_has_one()
    {
        Assert.True(ElfFile.IsStatic(_binaries.Static));
        Assert.False(ElfFile.IsStatic(_binaries.Dynamic));
    }

    [Fact]
    public void Non_elf_and_missing_files_are_not_judged()
    {
        Assert.Null(ElfFile.IsStatic(_binaries.Script));
        Assert.Null(ElfFile.IsStatic(Path.Combine(_binaries.Folder, "missing")));
    }

    [Fact]
    public void The_last_execstart_across_unit_and_drop_ins_names_the_binary()
    {
        // The packaged unit runs the dynamic binary; kubeadm's drop-in resets ExecStart to the static one.
        var units = Path.Combine(_binaries.Folder, "units-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(Path.Combine(units, "kubelet.service.d"));
        File.WriteAllText(Path.Combine(units, "kubelet.service"), $"[Service]\nExecStart={_binaries.Dynamic}\n");
        File.WriteAllText(Path.Combine(units, "kubelet.service.d", "10-kubeadm.conf"), $"[Service]\nExecStart=\nExecStart={_binaries.Static} $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS\n");

        var build = new KubeletBinaryLocator(null, "kubelet", [units]).Inspect();

        Assert.True(build.Static);
        Assert.Equal(_binaries.Static, build.Path);
        Assert.Contains("10-kubeadm.conf", build.Why, StringComparison.Ordinal);

        File.Delete(Path.Combine(units, "kubelet.service.d", "10-kubeadm.conf"));
        var dynamic = new KubeletBinaryLocator(null, "kubelet", [units]).Inspect();
        Assert.False(dynamic.Static);
        Assert.Equal(_binaries.Dynamic, dynamic.Path);
    }

    [Fact]
    public void Configured_binary_wins_and_no_binary_means_static()
    {
        var empty = Path.Combine(_binaries.Folder, "no-units");

        Assert.False(new KubeletBinaryLocator(_binaries.Dynamic, "kubelet", [empty]).Inspect().Static);
        var none = new KubeletBinaryLocator(null, "kubelet", [empty]).Inspect();
        Assert.True(none.Static);
        Assert.Null(none.Path);
        Assert.StartsWith("no kubelet binary found (kubelet.service has no ExecStart", none.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Godebug_netdns_in_the_units_environment_is_read_and_a_later_assignment_wins()
    {
        var units = Units(
            $"[Service]\nEnvironment=\"KUBELET_KUBECONFIG_ARGS=--kubeconfig=/etc/kubernetes/kubelet.conf\" GODEBUG=netdns=cgo\nExecStart={_binaries.Dynamic}\n",
            ("20-dns.conf", "[Service]\nEnvironment=\"GODEBUG=madvdontneed=1,netdns=go+1\" OTHER=x\n"));

        var build = new KubeletBinaryLocator(null, "kubelet", [units]).Inspect();

        Assert.False(build.Static);
        Assert.Equal(GoDebugNetDns.Go, build.NetDns);
        Assert.Equal($"GODEBUG=netdns=go+1 in kubelet.service's Environment= ({Path.Combine(units, "kubelet.service.d", "20-dns.conf")})", build.NetDnsOrigin);
    }

    [Fact]
    public void Empty_environment_assignment_resets_godebug()
    {
        var units = Units(
            $"[Service]\nEnvironment=GODEBUG=netdns=go\nExecStart={_binaries.Dynamic}\n",
            ("20-reset.conf", "[Service]\nEnvironment=\n"));

        var build = new KubeletBinaryLocator(null, "kubelet", [units]).Inspect();

        Assert.Equal(GoDebugNetDns.Unset, build.NetDns);
        Assert.Null(build.NetDnsOrigin);
    }

    [Fact]
    public void Environment_file_overrides_environment_and_a_missing_optional_one_is_skipped()
    {
        var defaults = Path.Combine(_binaries.Folder, "default-kubelet-" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllText(defaults, "KUBELET_EXTRA_ARGS=--v=2\nGODEBUG=\"netdns=cgo\"\n");
        var units = Units(
            $"[Service]\nEnvironment=GODEBUG=netdns=go\nEnvironmentFile=-{defaults}\nEnvironmentFile=-/nonexistent/kubelet\nExecStart={_binaries.Dynamic}\n");

        var build = new KubeletBinaryLocator(null, "kubelet", [units]).Inspect();

        Assert.Equal(GoDebugNetDns.Cgo, build.NetDns);
        Assert.Equal($"GODEBUG=netdns=cgo in {defaults} (kubelet.service's EnvironmentFile=)", build.NetDnsOrigin);

        // A GODEBUG without netdns in the file is still the value kubelet gets: the unit's netdns=go is gone.
        File.WriteAllText(defaults, "GODEBUG=http2debug=1\n");
        Assert.Equal(GoDebugNetDns.Unset, new KubeletBinaryLocator(null, "kubelet", [units]).Inspect().NetDns);
    }

    [Fact]
    public void Godebug_of_the_unit_applies_to_a_configured_binary_too()
    {
        var units = Units("[Service]\nEnvironment=GODEBUG=netdns=go\nExecStart=/usr/bin/kubelet\n");

        var build = new KubeletBinaryLocator(_binaries.Dynamic, "kubelet", [units]).Inspect();

        Assert.Equal(_binaries.Dynamic, build.Path);
        Assert.Equal(GoDebugNetDns.Go, build.NetDns);
    }

    private string Units(string unit, params (string Name, string Text)[] dropIns)
    {
        var units = Path.Combine(_binaries.Folder, "units-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(Path.Combine(units, "kubelet.service.d"));
        File.WriteAllText(Path.Combine(units, "kubelet.service"), unit);
        foreach (var (name, text) in dropIns)
        {
            File.WriteAllText(Path.Combine(units, "kubelet.service.d", name), text);
        }

        return units;
    }

    /// <summary>A static and a dynamic build of the same C program, and a shell script, made once for the class.</summary>
    public sealed class Binaries : IDisposable
    {
        public Binaries()
        {
            Folder = Directory.CreateTempSubdirectory("k0snip-elf").FullName;
            var source = Path.Combine(Folder, "main.c");
            File.WriteAllText(source, "int main(void) { return 0; }\n");
            Static = Path.Combine(Folder, "kubelet-static");
            Dynamic = Path.Combine(Folder, "kubelet-dynamic");
            Script = Path.Combine(Folder, "kubelet.sh");
            var compiler = File.Exists("/usr/bin/cc") ? "cc" : "clang";
            ProcessRunner.Run(compiler, "-static", "-o", Static, source);
            ProcessRunner.Run(compiler, "-o", Dynamic, source);
            File.WriteAllText(Script, "#!/bin/sh\nexec true\n");
        }

        public string Folder { get; }

        public string Static { get; }

        public string Dynamic { get; }

        public string Script { get; }

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}

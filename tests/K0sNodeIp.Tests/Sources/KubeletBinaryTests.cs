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
        Assert.StartsWith("no kubelet binary found", none.Why, StringComparison.Ordinal);
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

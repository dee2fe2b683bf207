using K0sNodeIp.Configuration;
using K0sNodeIp.Modes;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Sources;

/// <summary>
/// One detection reads each input file once (issue 19), counted by the kernel's open events on real files: the target's
/// own file, the unit and k0s config its render and family rule derive from, and on a kubeadm node the kubelet unit's
/// drop-in and EnvironmentFile= the resolver choice reads, which is the target file itself.
/// </summary>
public sealed class ReadOnceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("k0s-node-ip-read-once-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_kubeadm_detection_opens_the_environment_file_the_resolver_choice_and_the_target_share_once()
    {
        var units = Directory.CreateDirectory(Path.Combine(_root, "units")).FullName;
        var environment = Path.Combine(_root, "kubelet");
        File.WriteAllText(environment, "KUBELET_EXTRA_ARGS=--node-ip=192.0.2.10\nGODEBUG=netdns=cgo\n");
        var dropIns = Directory.CreateDirectory(Path.Combine(units, "kubelet.service.d")).FullName;
        var kubeadm = Path.Combine(dropIns, "10-kubeadm.conf");
        File.WriteAllText(Path.Combine(units, "kubelet.service"), "[Service]\nExecStart=/nonexistent/kubelet\n");
        File.WriteAllText(kubeadm, $"[Service]\nEnvironmentFile=-{environment}\nExecStart=\nExecStart=/nonexistent/kubelet $KUBELET_EXTRA_ARGS\n");
        var options = OptionsLoader.LoadRecorded([], [
            "--Target:Kind=kubeadm", $"--Target:EnvironmentFile={environment}", $"--Target:UnitDirectory={units}",
            "--Detection:Hostname=localhost", "--Detection:Resolver=Auto"]);
        using var opens = new FileOpenCounter(environment, kubeadm, Path.Combine(units, "kubelet.service"));

        var detected = await Composition.CreateDetector(options, Composition.CreateTarget(options), forReports: false).DetectAsync(CancellationToken.None);

        // The resolver choice did read the environment file (its GODEBUG decided), and the target holds its pair.
        Assert.Contains(environment, detected.Snapshot.Lookup.Resolver?.Reason, StringComparison.Ordinal);
        Assert.Equal("192.0.2.10", detected.Snapshot.Target.Held?.Value);
        Assert.All(opens.Opens(), file => Assert.Equal((file.Key, 1), (file.Key, file.Value)));
    }

    [Fact]
    public async Task A_k0s_detection_opens_the_drop_in_the_unit_and_the_k0s_config_once()
    {
        var units = Directory.CreateDirectory(Path.Combine(_root, "units")).FullName;
        var unit = Path.Combine(units, "k0sworker.service");
        var config = Path.Combine(_root, "k0s.yaml");
        File.WriteAllText(config, "spec:\n  network:\n    dualStack:\n      enabled: true\n");
        File.WriteAllText(unit, $"[Service]\nExecStart=/usr/local/bin/k0s worker --config={config} --token-file=/etc/k0s/k0stoken\n");
        var dropIn = Path.Combine(Directory.CreateDirectory(Path.Combine(units, "k0sworker.service.d")).FullName, "50-k0s-node-ip.conf");
        File.WriteAllText(dropIn, "[Service]\nExecStart=\nExecStart=/usr/local/bin/k0s worker --kubelet-extra-args=--node-ip=192.0.2.10\n");
        var options = OptionsLoader.LoadRecorded([], [$"--Target:UnitDirectory={units}", "--Detection:Hostname=localhost", $"--Target:K0sConfig={config}"]);
        using var opens = new FileOpenCounter(dropIn, unit, config);

        var detected = await Composition.CreateDetector(options, Composition.CreateTarget(options), forReports: false).DetectAsync(CancellationToken.None);

        Assert.Equal("192.0.2.10", detected.Snapshot.Target.Held?.Value);
        Assert.All(opens.Opens(), file => Assert.Equal((file.Key, 1), (file.Key, file.Value)));
    }
}

using K0sNodeIp.Agent;
using K0sNodeIp.Configuration;
using K0sNodeIp.Detection;
using K0sNodeIp.Reload;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace K0sNodeIp.Tests.Agent;

public sealed class ReconcilerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-reconcile").FullName;
    private readonly ISystemdManager _systemd = Substitute.For<ISystemdManager>();
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Failed_restart_is_owed_and_asked_again_although_the_file_is_unchanged()
    {
        _systemd.RestartUnitAsync(default!, default, default).ReturnsForAnyArgs("failed", "failed", "done");
        var (reconciler, path) = Create();

        var first = await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        var second = await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        var third = await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);

        Assert.Equal(ReconcileStatus.Failed, first.Status);
        Assert.Equal(ReconcileStatus.Failed, second.Status);
        Assert.Equal(ReconcileStatus.Unchanged, third.Status);
        Assert.Equal("--node-ip=192.0.2.10,2001:db8::10\n", File.ReadAllText(path));
        await _systemd.Received(3).RestartUnitAsync("kubelet", true, Arg.Any<CancellationToken>());

        await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        await _systemd.Received(3).RestartUnitAsync("kubelet", true, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Unchanged_file_restarts_nothing_and_a_dry_run_writes_nothing()
    {
        _systemd.RestartUnitAsync(default!, default, default).ReturnsForAnyArgs("done");
        var (reconciler, path) = Create();

        var dry = await reconciler.ReconcileAsync("test", dryRun: true, CancellationToken.None);
        Assert.False(File.Exists(path));
        Assert.Contains("+--node-ip=192.0.2.10,2001:db8::10", dry.Diff, StringComparison.Ordinal);

        Assert.Equal(ReconcileStatus.Changed, (await reconciler.ReconcileAsync("test", false, CancellationToken.None)).Status);
        Assert.Equal(ReconcileStatus.Unchanged, (await reconciler.ReconcileAsync("test", false, CancellationToken.None)).Status);
        await _systemd.Received(1).RestartUnitAsync("kubelet", true, Arg.Any<CancellationToken>());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (Reconciler Reconciler, string Path) Create()
    {
        var path = Path.Combine(_dir, "node-ip");
        var hostname = Substitute.For<IHostnameSource>();
        hostname.GetHostname().Returns("node1");
        var interfaces = Substitute.For<INetworkInterfaces>();
        interfaces.Read().Returns([]);
        var reader = new SnapshotReader(hostname, Substitute.For<IHostLookup>(), interfaces, Substitute.For<ISourceAddressProbe>(), () => RouteTable.Empty);
        var detection = new DetectionOptions { StaticIPv4 = "192.0.2.10", StaticIPv6 = "2001:db8::10" };
        var reloader = new UnitReloader(_systemd, new ReloadOptions { Attempts = 1, MinInterval = TimeSpan.Zero }, _time, NullLogger.Instance);
        var reconciler = new Reconciler(new NodeIpDetector(reader, detection), new TemplateFileTarget(path, "{nodeIpFlag}"), null, reloader, "kubelet", null, NullLogger.Instance);
        reloader.Completed += reconciler.OnReloadCompleted;
        return (reconciler, path);
    }
}

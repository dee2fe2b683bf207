using K0sNodeIp.Agent;
using K0sNodeIp.Apply;
using K0sNodeIp.Configuration;
using K0sNodeIp.Detection;
using K0sNodeIp.Node;
using K0sNodeIp.Reload;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace K0sNodeIp.Tests.Agent;

/// <summary>
/// --once beside the daemon: two reconcilers over one state file, as two processes are (flock(2) locks are per open
/// file, so two reconcilers in one process exclude each other exactly as two processes do).
/// </summary>
public sealed class StateFileLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-lock").FullName;

    private string StatePath => Path.Combine(_dir, "state.json");

    private string TargetPath => Path.Combine(_dir, "node-ip");

    [Fact]
    public async Task Once_during_the_daemons_restart_waits_for_it_and_does_not_restart_the_unit_again()
    {
        var daemonSystemd = Systemd();
        var restartBegun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseRestart = new TaskCompletionSource<JobResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        daemonSystemd.TryRestartUnitAsync(default!, default, default).ReturnsForAnyArgs(_ =>
        {
            restartBegun.TrySetResult();
            return releaseRestart.Task;
        });
        var onceSystemd = Systemd();
        var daemon = Create(daemonSystemd);
        var once = Create(onceSystemd);

        var daemonRun = daemon.ReconcileAsync("address change", dryRun: false, CancellationToken.None);
        await restartBegun.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var onceRun = once.ReconcileAsync("once", dryRun: false, CancellationToken.None);
        releaseRestart.SetResult(JobResult.Done);
        var daemonResult = await daemonRun.WaitAsync(TimeSpan.FromSeconds(30));
        var onceResult = await onceRun.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ReconcileStatus.Changed, daemonResult.Status);
        Assert.Equal(ReconcileStatus.Unchanged, onceResult.Status);
        await onceSystemd.DidNotReceiveWithAnyArgs().TryRestartUnitAsync(default!, default, default);
        Assert.True(AppliedState.Load(StatePath)!.RestartCompleted);
    }

    [Fact]
    public async Task The_lock_is_released_at_the_end_of_each_reconcile()
    {
        var first = Create(Systemd());
        await first.ReconcileAsync("once", dryRun: false, CancellationToken.None);

        using var again = await StateFileLock.AcquireAsync(StatePath, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ISystemdManager Systemd()
    {
        var systemd = Substitute.For<ISystemdManager>();
        systemd.IsRunningAsync(default!, default).ReturnsForAnyArgs(true);
        systemd.TryRestartUnitAsync(default!, default, default).ReturnsForAnyArgs(JobResult.Done);
        return systemd;
    }

    private Reconciler Create(ISystemdManager systemd)
    {
        var hostname = Substitute.For<IHostnameSource>();
        hostname.GetHostname().Returns("node1");
        var interfaces = Substitute.For<INetworkInterfaces>();
        interfaces.Read().Returns([]);
        var lookup = Substitute.For<IHostLookup>();
        lookup.LookupAsync(default!, default!, default).ReturnsForAnyArgs(HostLookupResult.Skipped("no lookup in these tests"));
        var target = new TemplateFileTarget(TargetPath, "{nodeIpFlag}");
        var reader = new SnapshotReader(hostname, lookup, interfaces, Substitute.For<ISourceAddressProbe>(), () => RouteTable.Empty, readTarget: files => files.ReadTarget(target));
        var detection = new DetectionOptions { StaticIPv4 = "192.0.2.10", StaticIPv6 = "2001:db8::10" };
        var reloader = new UnitReloader(systemd, new ReloadOptions { Attempts = 1, MinInterval = TimeSpan.Zero }, TimeProvider.System, NullLogger.Instance);
        var reconciler = new Reconciler(new NodeIpDetector(reader, detection), target, null, reloader, "kubelet", null, NullLogger.Instance, StatePath);
        reloader.Completed += reconciler.OnReloadCompleted;
        return reconciler;
    }
}

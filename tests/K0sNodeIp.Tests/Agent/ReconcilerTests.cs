using K0sNodeIp.Agent;
using K0sNodeIp.Configuration;
using K0sNodeIp.Detection;
using K0sNodeIp.Node;
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

    public ReconcilerTests() => _systemd.IsRunningAsync(default!, default).ReturnsForAnyArgs(true);

    [Fact]
    public async Task Stopped_unit_is_not_started_and_owes_no_restart()
    {
        _systemd.IsRunningAsync(default!, default).ReturnsForAnyArgs(false);
        var (reconciler, path) = Create();

        var first = await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        var second = await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);

        Assert.Equal(ReconcileStatus.Changed, first.Status);
        Assert.Equal(ReconcileStatus.Unchanged, second.Status);
        Assert.True(File.Exists(path));
        await _systemd.DidNotReceiveWithAnyArgs().TryRestartUnitAsync(default!, default, default);
        await _systemd.Received(1).IsRunningAsync("kubelet", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Failed_restart_is_owed_and_asked_again_although_the_file_is_unchanged()
    {
        _systemd.TryRestartUnitAsync(default!, default, default).ReturnsForAnyArgs(new JobResult("failed"), new JobResult("failed"), JobResult.Done);
        var (reconciler, path) = Create();

        var first = await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        var second = await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        var third = await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);

        Assert.Equal(ReconcileStatus.RestartFailed, first.Status);
        Assert.Equal(ReconcileStatus.RestartFailed, second.Status);
        Assert.Equal(ReconcileStatus.Unchanged, third.Status);
        Assert.Equal("--node-ip=192.0.2.10,2001:db8::10\n", File.ReadAllText(path));
        await _systemd.Received(3).TryRestartUnitAsync("kubelet", true, Arg.Any<CancellationToken>());

        await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        await _systemd.Received(3).TryRestartUnitAsync("kubelet", true, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Unchanged_file_restarts_nothing_and_a_dry_run_writes_nothing()
    {
        _systemd.TryRestartUnitAsync(default!, default, default).ReturnsForAnyArgs(JobResult.Done);
        var (reconciler, path) = Create();

        var dry = await reconciler.ReconcileAsync("test", dryRun: true, CancellationToken.None);
        Assert.False(File.Exists(path));
        Assert.Contains("+--node-ip=192.0.2.10,2001:db8::10", dry.Diff, StringComparison.Ordinal);

        Assert.Equal(ReconcileStatus.Changed, (await reconciler.ReconcileAsync("test", false, CancellationToken.None)).Status);
        Assert.Equal(ReconcileStatus.Unchanged, (await reconciler.ReconcileAsync("test", false, CancellationToken.None)).Status);
        await _systemd.Received(1).TryRestartUnitAsync("kubelet", true, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Drop_in_whose_header_alone_differs_is_rewritten_without_a_restart()
    {
        _systemd.TryRestartUnitAsync(default!, default, default).ReturnsForAnyArgs(JobResult.Done);
        File.WriteAllText(Path.Combine(_dir, "k0sworker.service"), "[Service]\nExecStart=/usr/local/bin/k0s worker --token-file=/etc/k0s/k0stoken\n");
        var target = new K0sDropInTarget(_dir, "k0sworker", "50-k0s-node-ip.conf", Path.Combine(_dir, "no-k0s.yaml"));
        var (reconciler, _) = Create(target, "k0sworker");
        await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        var written = File.ReadAllText(target.Path);

        // An older release worded the header differently; the ExecStart k0s receives is the same.
        File.WriteAllText(target.Path, written.Replace("# Written by k0s-node-ip", "# Managed by an older k0s-node-ip", StringComparison.Ordinal));
        var result = await reconciler.ReconcileAsync("test", dryRun: false, CancellationToken.None);

        Assert.Equal(ReconcileStatus.Unchanged, result.Status);
        Assert.Equal(written, File.ReadAllText(target.Path));
        await _systemd.Received(1).TryRestartUnitAsync("k0sworker", true, Arg.Any<CancellationToken>());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Restart_owed_by_a_run_that_died_after_writing_is_made_up_once_and_an_operators_edit_owes_nothing()
    {
        _systemd.TryRestartUnitAsync(default!, default, default).ReturnsForAnyArgs(JobResult.Done);
        var state = Path.Combine(_dir, "state.json");
        var (first, path) = Create(statePath: state);
        await first.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        Assert.Contains("\"restartCompleted\": true", File.ReadAllText(state), StringComparison.Ordinal);

        // As if that run had died between the write and the restart.
        File.WriteAllText(state, File.ReadAllText(state).Replace("\"restartCompleted\": true", "\"restartCompleted\": false", StringComparison.Ordinal));
        var (second, _) = Create(statePath: state);
        await second.ReconcileAsync("test", dryRun: false, CancellationToken.None);
        await _systemd.Received(2).TryRestartUnitAsync("kubelet", true, Arg.Any<CancellationToken>());

        // Pending again, but the operator has since changed the file: that content is not what was recorded.
        File.WriteAllText(state, File.ReadAllText(state).Replace("\"restartCompleted\": true", "\"restartCompleted\": false", StringComparison.Ordinal));
        File.AppendAllText(path, "# edited by the operator\n");
        var (third, _) = Create(statePath: state, template: "{nodeIpFlag}\n# edited by the operator");
        var result = await third.ReconcileAsync("test", dryRun: false, CancellationToken.None);

        Assert.Equal(ReconcileStatus.Unchanged, result.Status);
        await _systemd.Received(2).TryRestartUnitAsync("kubelet", true, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Start_waits_for_a_family_the_file_holds_and_writes_nothing_meanwhile()
    {
        var (reconciler, path) = Create(ipv6: null, grace: new FamilyGrace(TimeSpan.FromMinutes(5), _time));
        File.WriteAllText(path, "--node-ip=192.0.2.10,2001:db8::10\n");

        var result = await reconciler.ReconcileAsync("start", dryRun: false, CancellationToken.None, starting: true, new StartupWait(TimeSpan.FromSeconds(30), Over: false));

        Assert.Equal(ReconcileStatus.WaitingForFamily, result.Status);
        Assert.Equal("--node-ip=192.0.2.10,2001:db8::10\n", File.ReadAllText(path));
        await _systemd.DidNotReceiveWithAnyArgs().TryRestartUnitAsync(default!, default, default);
    }

    [Fact]
    public async Task A_symlinked_target_fails_at_once_not_after_the_start_up_wait()
    {
        var (reconciler, path) = Create(ipv6: null, grace: new FamilyGrace(TimeSpan.FromMinutes(5), _time));
        var elsewhere = Path.Combine(_dir, "elsewhere");
        File.WriteAllText(elsewhere, "--node-ip=192.0.2.10,2001:db8::10\n");
        File.CreateSymbolicLink(path, elsewhere);

        var result = await reconciler.ReconcileAsync("start", dryRun: false, CancellationToken.None, starting: true, new StartupWait(TimeSpan.FromSeconds(30), Over: false));

        Assert.Equal(ReconcileStatus.Failed, result.Status);
        Assert.Contains("symlink", result.Error, StringComparison.Ordinal);
        Assert.Equal("--node-ip=192.0.2.10,2001:db8::10\n", File.ReadAllText(elsewhere));
    }

    [Fact]
    public async Task Start_past_the_wait_writes_single_stack_with_a_warning_when_the_unit_has_yet_to_start()
    {
        _systemd.IsRunningAsync(default!, default).ReturnsForAnyArgs(false);
        var (reconciler, path) = Create(ipv6: null, grace: new FamilyGrace(TimeSpan.FromMinutes(5), _time));
        File.WriteAllText(path, "--node-ip=192.0.2.10,2001:db8::10\n");

        var result = await reconciler.ReconcileAsync("start", dryRun: false, CancellationToken.None, starting: true, new StartupWait(TimeSpan.FromSeconds(30), Over: true));

        Assert.Equal(ReconcileStatus.Changed, result.Status);
        Assert.Equal("--node-ip=192.0.2.10\n", File.ReadAllText(path));
        Assert.Equal(new StandingWarning(WarningKind.StartupIncomplete, IpFamily.IPv6), Assert.Single(result.Warnings));
    }

    [Fact]
    public async Task Start_past_the_wait_holds_the_file_through_the_grace_when_the_unit_already_runs_with_it()
    {
        var (reconciler, path) = Create(ipv6: null, grace: new FamilyGrace(TimeSpan.FromMinutes(5), _time));
        File.WriteAllText(path, "--node-ip=192.0.2.10,2001:db8::10\n");
        _systemd.StatusAsync(default!, default).ReturnsForAnyArgs(new UnitStatus(UnitActiveState.Active, "running", "success", UnitJobKind.None, 0));

        var result = await reconciler.ReconcileAsync("start", dryRun: false, CancellationToken.None, starting: true, new StartupWait(TimeSpan.FromSeconds(30), Over: true));

        Assert.True(result.Held);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(5), result.RecheckAt);
        Assert.Equal("--node-ip=192.0.2.10,2001:db8::10\n", File.ReadAllText(path));
        await _systemd.DidNotReceiveWithAnyArgs().TryRestartUnitAsync(default!, default, default);
    }

    [Fact]
    public async Task Start_past_the_wait_at_a_boot_writes_without_though_the_units_start_job_counts_it_as_running()
    {
        var (reconciler, path) = Create(ipv6: null, grace: new FamilyGrace(TimeSpan.FromMinutes(5), _time));
        File.WriteAllText(path, "--node-ip=192.0.2.10,2001:db8::10\n");
        // A boot: the unit is ordered after the agent, inactive with its start job waiting for READY=1.
        _systemd.StatusAsync(default!, default).ReturnsForAnyArgs(new UnitStatus(UnitActiveState.Inactive, "dead", "success", UnitJobKind.Start, 0));

        var result = await reconciler.ReconcileAsync("start", dryRun: false, CancellationToken.None, starting: true, new StartupWait(TimeSpan.FromSeconds(30), Over: true));

        Assert.False(result.Held);
        Assert.Equal("--node-ip=192.0.2.10\n", File.ReadAllText(path));
        Assert.Equal(new StandingWarning(WarningKind.StartupIncomplete, IpFamily.IPv6), Assert.Single(result.Warnings));
    }

    [Fact]
    public async Task Start_with_every_expected_family_there_does_not_wait()
    {
        var (reconciler, path) = Create();
        File.WriteAllText(path, "--node-ip=192.0.2.10,2001:db8::10\n");

        var result = await reconciler.ReconcileAsync("start", dryRun: false, CancellationToken.None, starting: true, new StartupWait(TimeSpan.FromSeconds(30), Over: false));

        Assert.Equal(ReconcileStatus.Unchanged, result.Status);
    }

    private (Reconciler Reconciler, string Path) Create(INodeIpTarget? target = null, string unit = "kubelet", string? statePath = null, string template = "{nodeIpFlag}",
        string? ipv6 = "2001:db8::10", FamilyGrace? grace = null)
    {
        var path = Path.Combine(_dir, "node-ip");
        var hostname = Substitute.For<IHostnameSource>();
        hostname.GetHostname().Returns("node1");
        var interfaces = Substitute.For<INetworkInterfaces>();
        interfaces.Read().Returns([]);
        var lookup = Substitute.For<IHostLookup>();
        lookup.LookupAsync(default!, default!, default).ReturnsForAnyArgs(HostLookupResult.Skipped("no lookup in these tests"));
        target ??= new TemplateFileTarget(path, template);
        var reader = new SnapshotReader(hostname, lookup, interfaces, Substitute.For<ISourceAddressProbe>(), () => RouteTable.Empty, readTarget: files => files.ReadTarget(target));
        var detection = new DetectionOptions { StaticIPv4 = "192.0.2.10", StaticIPv6 = ipv6 };
        var reloader = new UnitReloader(_systemd, new ReloadOptions { Attempts = 1, MinInterval = TimeSpan.Zero }, _time, NullLogger.Instance);
        var reconciler = new Reconciler(new NodeIpDetector(reader, detection), target, null, reloader, unit, grace, NullLogger.Instance, statePath);
        reloader.Completed += reconciler.OnReloadCompleted;
        return (reconciler, path);
    }
}

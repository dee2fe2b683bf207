using K0sNodeIp.Configuration;
using K0sNodeIp.Reload;
using K0sNodeIp.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace K0sNodeIp.Tests.Reload;

public sealed class UnitReloaderTests
{
    private readonly ISystemdManager _systemd = Substitute.For<ISystemdManager>();
    private readonly FakeTimeProvider _time = new();

    public UnitReloaderTests()
    {
        _systemd.TryRestartUnitAsync(default!, default, default).ReturnsForAnyArgs(JobResult.Done);
        _systemd.IsRunningAsync(default!, default).ReturnsForAnyArgs(true);
    }

    [Fact]
    public async Task Drop_in_change_daemon_reloads_then_restarts_the_unit()
    {
        using var reloader = Reloader();

        var outcome = await reloader.RequestAsync(new ReloadRequest("k0sworker", DaemonReload: true, "change"), CancellationToken.None);

        Assert.Equal(ReloadOutcome.Restarted, outcome);
        Received.InOrder(() =>
        {
            _systemd.DaemonReloadAsync(Arg.Any<CancellationToken>());
            _systemd.TryRestartUnitAsync("k0sworker", Arg.Any<bool>(), Arg.Any<CancellationToken>());
        });
    }

    [Fact]
    public async Task Environment_file_change_restarts_without_daemon_reload()
    {
        using var reloader = Reloader();

        await reloader.RequestAsync(new ReloadRequest("kubelet", DaemonReload: false, "change"), CancellationToken.None);

        await _systemd.DidNotReceiveWithAnyArgs().DaemonReloadAsync(default);
        await _systemd.Received(1).TryRestartUnitAsync("kubelet", Arg.Any<bool>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Requests_inside_the_window_coalesce_into_one_restart_at_its_end()
    {
        using var reloader = Reloader();
        await reloader.RequestAsync(new ReloadRequest("k0sworker", false, "first"), CancellationToken.None);
        var restarted = new TaskCompletionSource();
        reloader.Completed += (_, _) => restarted.TrySetResult();

        var second = await reloader.RequestAsync(new ReloadRequest("k0sworker", true, "second"), CancellationToken.None);
        var third = await reloader.RequestAsync(new ReloadRequest("k0sworker", false, "third"), CancellationToken.None);
        // FakeTimeProvider runs a due timer inside Advance, and every substituted call completes synchronously: a
        // restart fired at 29 s would already have been asked for when Advance returns. No sleep decides this.
        _time.Advance(TimeSpan.FromSeconds(29));
        await _systemd.Received(1).TryRestartUnitAsync("k0sworker", Arg.Any<bool>(), Arg.Any<CancellationToken>());

        _time.Advance(TimeSpan.FromSeconds(1));
        await restarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ReloadOutcome.Deferred, second);
        Assert.Equal(ReloadOutcome.Deferred, third);
        await _systemd.Received(2).TryRestartUnitAsync("k0sworker", Arg.Any<bool>(), Arg.Any<CancellationToken>());

        // The deferred restart keeps the daemon-reload that an earlier request in the window asked for.
        await _systemd.Received(1).DaemonReloadAsync(Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_restart_that_may_wait_is_spread_by_the_delay_chosen_and_an_urgent_one_goes_at_once()
    {
        using var reloader = new UnitReloader(_systemd, new ReloadOptions { MinInterval = TimeSpan.Zero, RandomDelay = TimeSpan.FromSeconds(20) }, _time, NullLogger.Instance,
            pickDelay: max => max * 0.6);
        var restarted = new TaskCompletionSource();
        reloader.Completed += (_, _) => restarted.TrySetResult();

        var spread = await reloader.RequestAsync(new ReloadRequest("k0sworker", true, "dns moved the node", MayWait: true), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(11.9));
        await _systemd.DidNotReceiveWithAnyArgs().TryRestartUnitAsync(default!, default, default);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await restarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ReloadOutcome.Deferred, spread);
        await _systemd.Received(1).TryRestartUnitAsync("k0sworker", Arg.Any<bool>(), Arg.Any<CancellationToken>());

        // The address the file held vanished: that restart cannot wait, and it takes the pending one with it.
        await reloader.RequestAsync(new ReloadRequest("k0sworker", true, "spread again", MayWait: true), CancellationToken.None);
        var urgent = await reloader.RequestAsync(new ReloadRequest("k0sworker", true, "the address went away"), CancellationToken.None);
        Assert.Equal(ReloadOutcome.Restarted, urgent);
        await _systemd.Received(2).TryRestartUnitAsync("k0sworker", Arg.Any<bool>(), Arg.Any<CancellationToken>());
        _time.Advance(TimeSpan.FromSeconds(30));
        await _systemd.Received(2).TryRestartUnitAsync("k0sworker", Arg.Any<bool>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Without_a_random_delay_a_restart_that_may_wait_goes_at_once()
    {
        using var reloader = new UnitReloader(_systemd, new ReloadOptions { MinInterval = TimeSpan.Zero }, _time, NullLogger.Instance);

        var outcome = await reloader.RequestAsync(new ReloadRequest("k0sworker", true, "change", MayWait: true), CancellationToken.None);

        Assert.Equal(ReloadOutcome.Restarted, outcome);
    }

    [Fact]
    public async Task Failed_job_is_retried_then_reported()
    {
        _systemd.TryRestartUnitAsync(default!, default, default).ReturnsForAnyArgs(new JobResult("failed"));
        using var reloader = Reloader(attempts: 2);

        var run = reloader.RequestAsync(new ReloadRequest("kubelet", false, "change"), CancellationToken.None);
        while (!run.IsCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        Assert.Equal(ReloadOutcome.Failed, await run);
        await _systemd.Received(2).TryRestartUnitAsync("kubelet", Arg.Any<bool>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Transient_error_then_success_restarts()
    {
        _systemd.TryRestartUnitAsync(default!, default, default).ReturnsForAnyArgs(_ => throw new SystemdException("bus hiccup"), _ => Task.FromResult(JobResult.Done));
        using var reloader = Reloader();

        var run = reloader.RequestAsync(new ReloadRequest("kubelet", false, "change"), CancellationToken.None);
        while (!run.IsCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        Assert.Equal(ReloadOutcome.Restarted, await run);
    }

    [Fact]
    public async Task Restart_during_start_up_is_queued_without_waiting_for_the_job()
    {
        _systemd.TryRestartUnitAsync(default!, default, default).ReturnsForAnyArgs(JobResult.Queued);
        using var reloader = Reloader();

        var outcome = await reloader.RequestAsync(new ReloadRequest("k0sworker", true, "change", WaitForJob: false), CancellationToken.None);

        Assert.Equal(ReloadOutcome.Restarted, outcome);
        await _systemd.Received(1).TryRestartUnitAsync("k0sworker", false, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Stopped_unit_gets_the_daemon_reload_but_stays_stopped()
    {
        _systemd.IsRunningAsync(default!, default).ReturnsForAnyArgs(false);
        using var reloader = Reloader();

        var outcome = await reloader.RequestAsync(new ReloadRequest("k0sworker", true, "change"), CancellationToken.None);

        Assert.Equal(ReloadOutcome.NotRunning, outcome);
        await _systemd.Received(1).DaemonReloadAsync(Arg.Any<CancellationToken>());
        await _systemd.DidNotReceiveWithAnyArgs().TryRestartUnitAsync(default!, default, default);
    }

    [Fact]
    public async Task Mode_none_restarts_nothing_but_daemon_reloads_a_drop_in()
    {
        using var reloader = Reloader(mode: "none");
        _systemd.IsRunningAsync("kubelet", Arg.Any<CancellationToken>()).Returns(true);

        Assert.Equal(ReloadOutcome.Disabled, await reloader.RequestAsync(new ReloadRequest("kubelet", true, "change"), CancellationToken.None));
        await _systemd.Received(1).DaemonReloadAsync(Arg.Any<CancellationToken>());
        await _systemd.DidNotReceiveWithAnyArgs().TryRestartUnitAsync(default!, default, default);

        // A file systemd does not read: nothing is asked at all.
        _systemd.ClearReceivedCalls();
        Assert.Equal(ReloadOutcome.Disabled, await reloader.RequestAsync(new ReloadRequest("kubelet", false, "change"), CancellationToken.None));
        Assert.Empty(_systemd.ReceivedCalls());
    }

    [Fact]
    public async Task Mode_none_still_makes_a_start_the_drop_ins_condition_refused()
    {
        // A k0s upgrade restarted the worker before the drop-in followed: a watch-only node must not be left without it.
        using var reloader = Reloader(mode: "none");
        _systemd.StatusAsync("k0sworker", Arg.Any<CancellationToken>()).Returns(new UnitStatus(UnitActiveState.Inactive, "dead", UnitStatus.ConditionResult, UnitJobKind.None, 0));
        _systemd.StartUnitAsync("k0sworker", Arg.Any<bool>(), Arg.Any<CancellationToken>()).Returns(JobResult.Done);

        var outcome = await reloader.RequestAsync(new ReloadRequest("k0sworker", true, "change"), CancellationToken.None);

        Assert.Equal(ReloadOutcome.StartedAfterRefusal, outcome);
        await _systemd.Received(1).StartUnitAsync("k0sworker", Arg.Any<bool>(), Arg.Any<CancellationToken>());
        await _systemd.DidNotReceiveWithAnyArgs().TryRestartUnitAsync(default!, default, default);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(+1)]
    public async Task Rate_limit_is_measured_on_the_monotonic_clock_whichever_way_the_wall_clock_steps(int hours)
    {
        var clock = new SteppedWallClock();
        using var reloader = new UnitReloader(_systemd, new ReloadOptions { MinInterval = TimeSpan.FromSeconds(30) }, clock, NullLogger.Instance);
        await reloader.RequestAsync(new ReloadRequest("k0sworker", false, "first"), CancellationToken.None);

        // Right after the restart, a step either way changes nothing: the next request still waits for the window.
        clock.StepWallClock(TimeSpan.FromHours(hours));
        var inWindow = await reloader.RequestAsync(new ReloadRequest("k0sworker", false, "second"), CancellationToken.None);
        var restarted = new TaskCompletionSource();
        reloader.Completed += (_, _) => restarted.TrySetResult();
        clock.Advance(TimeSpan.FromSeconds(30));
        await restarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // 30 s of real time later the window is over, an hour's step or not.
        clock.Advance(TimeSpan.FromSeconds(30));
        var after = await reloader.RequestAsync(new ReloadRequest("k0sworker", false, "third"), CancellationToken.None);

        Assert.Equal(ReloadOutcome.Deferred, inWindow);
        Assert.Equal(ReloadOutcome.Restarted, after);
        await _systemd.Received(3).TryRestartUnitAsync("k0sworker", Arg.Any<bool>(), Arg.Any<CancellationToken>());
    }

    private UnitReloader Reloader(string mode = "restart", int attempts = 3) =>
        new(_systemd, new ReloadOptions { Mode = mode, Attempts = attempts, MinInterval = TimeSpan.FromSeconds(30) }, _time, NullLogger.Instance);
}

using K0sNodeIp.Agent;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace K0sNodeIp.Tests.Agent;

public sealed class WatchdogTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ISystemdNotifier _notifier = Substitute.For<ISystemdNotifier>();

    [Fact]
    public async Task Pings_at_half_the_interval_while_healthy_and_stops_for_good_when_not()
    {
        var healthy = true;
        using var stop = new CancellationTokenSource();
        var run = new Watchdog(_notifier, _time, watchdogMicroseconds: "2000000").RunAsync(() => healthy, stop.Token);

        // At least: under load a continuation may ping again before the condition is read.
        await AdvanceUntil(() => Pings() >= 2);
        healthy = false;
        _time.Advance(TimeSpan.FromSeconds(1));

        // The run ends on its own once unhealthy: that is the evidence that no ping will follow; time going on proves it.
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        var pings = Pings();
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(pings, Pings());
    }

    [Fact]
    public async Task Does_nothing_when_systemd_asked_for_no_watchdog()
    {
        await new Watchdog(_notifier, _time, watchdogMicroseconds: "").RunAsync(() => true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, Pings());
    }

    [Fact]
    public async Task A_reconcile_that_overruns_its_bound_stops_the_pings_though_the_loop_task_still_runs()
    {
        var progress = new LoopProgress(_time, TimeSpan.FromSeconds(90));
        using var stop = new CancellationTokenSource();
        var run = new Watchdog(_notifier, _time, watchdogMicroseconds: "2000000").RunAsync(() => progress.OnTime, stop.Token);
        await AdvanceUntil(() => Pings() >= 1);

        // Stuck inside one reconcile: the loop has not completed, it just never comes back.
        progress.ReconcileStarted();
        _time.Advance(TimeSpan.FromSeconds(89));
        await Task.Delay(50);
        Assert.False(run.IsCompleted);

        // The run ends on its own once the bound is overrun: the evidence that no ping follows.
        await AdvanceUntil(() => run.IsCompleted);
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Idle_and_reconciles_within_their_bound_count_as_progress_on_the_monotonic_clock()
    {
        var progress = new LoopProgress(_time, TimeSpan.FromSeconds(90));
        _time.Advance(TimeSpan.FromDays(1));
        Assert.True(progress.OnTime);

        progress.ReconcileStarted();
        _time.Advance(TimeSpan.FromSeconds(90));
        Assert.True(progress.OnTime);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(progress.OnTime);

        progress.ReconcileFinished();
        Assert.True(progress.OnTime);
    }

    private int Pings() => _notifier.ReceivedCalls().Count(c => c.GetArguments()[0] is ServiceState state && state.ToString() == "WATCHDOG=1");

    private async Task AdvanceUntil(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}

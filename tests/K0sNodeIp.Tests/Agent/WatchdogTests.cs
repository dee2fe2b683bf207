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

        await AdvanceUntil(() => Pings() == 2);
        healthy = false;
        _time.Advance(TimeSpan.FromSeconds(1));

        // The run ends on its own once unhealthy: that is the evidence that no ping will follow.
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, Pings());
    }

    [Fact]
    public async Task Does_nothing_when_systemd_asked_for_no_watchdog()
    {
        await new Watchdog(_notifier, _time, watchdogMicroseconds: "").RunAsync(() => true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, Pings());
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

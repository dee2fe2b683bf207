using K0sNodeIp.Watch;
using Microsoft.Extensions.Time.Testing;

namespace K0sNodeIp.Tests.Watch;

public sealed class DebouncerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Signals_within_the_quiet_period_give_one_wake_up()
    {
        var debouncer = new Debouncer(TimeSpan.FromSeconds(2), _time);
        debouncer.Signal("a");
        var wait = debouncer.WaitAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);

        // Fake time moves in steps; the wake-up may come late (timer registered after a step), never early.
        var elapsed = await AdvanceUntil(wait, TimeSpan.FromSeconds(1));
        debouncer.Signal("b");
        debouncer.Signal("c");
        Assert.False(wait.IsCompleted);
        elapsed += await AdvanceUntil(wait, TimeSpan.FromSeconds(10));

        Assert.True(elapsed >= TimeSpan.FromSeconds(2), $"woke after {elapsed}");
        Assert.Equal(["a", "b", "c"], await wait);
    }

    [Fact]
    public async Task Timeout_without_signal_returns_empty()
    {
        var debouncer = new Debouncer(TimeSpan.FromSeconds(2), _time);

        var wait = debouncer.WaitAsync(TimeSpan.FromMinutes(10), CancellationToken.None);
        await Task.Delay(20);
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Empty(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private async Task<TimeSpan> AdvanceUntil(Task wait, TimeSpan limit)
    {
        var step = TimeSpan.FromMilliseconds(100);
        var elapsed = TimeSpan.Zero;
        while (!wait.IsCompleted && elapsed < limit)
        {
            await Task.Delay(5);
            _time.Advance(step);
            elapsed += step;
        }

        return elapsed;
    }

    [Fact]
    public async Task Zero_debounce_wakes_at_once()
    {
        var debouncer = new Debouncer(TimeSpan.Zero, _time);
        var wait = debouncer.WaitAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);

        debouncer.Signal("now");

        Assert.Equal(["now"], await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}

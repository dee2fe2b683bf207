using Microsoft.Extensions.Time.Testing;

namespace K0sNodeIp.Tests.Support;

/// <summary>
/// A fake clock whose wall time can be stepped both ways (NTP at boot on a board without an RTC) while the monotonic
/// clock and the timers go on as they were: <see cref="FakeTimeProvider"/> alone moves both together, forward only.
/// </summary>
public sealed class SteppedWallClock : TimeProvider
{
    private TimeSpan _step;

    public FakeTimeProvider Monotonic { get; } = new();

    public void StepWallClock(TimeSpan step) => _step += step;

    public void Advance(TimeSpan elapsed) => Monotonic.Advance(elapsed);

    public override DateTimeOffset GetUtcNow() => Monotonic.GetUtcNow() + _step;

    public override long GetTimestamp() => Monotonic.GetTimestamp();

    public override long TimestampFrequency => Monotonic.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Monotonic.CreateTimer(callback, state, dueTime, period);
}

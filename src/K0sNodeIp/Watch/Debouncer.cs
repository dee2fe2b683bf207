using System.Threading.Channels;

namespace K0sNodeIp.Watch;

/// <summary>
/// Collects change signals: the first one starts a quiet period of <c>delay</c>, and everything signalled
/// until it ends is answered by one wake-up. Waiting costs nothing while idle (no polling).
/// </summary>
internal sealed class Debouncer(TimeSpan delay, TimeProvider time)
{
    private readonly Channel<string> _signals = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Signal(string reason) => _signals.Writer.TryWrite(reason);

    /// <summary>
    /// Waits for a signal (then the quiet period) or for <paramref name="timeout"/>, whichever comes first.
    /// </summary>
    /// <returns>The reasons collected, or an empty list when the timeout came first.</returns>
    public async Task<IReadOnlyList<string>> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using (var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var signalled = _signals.Reader.WaitToReadAsync(race.Token).AsTask();
            var expired = Task.Delay(timeout, time, race.Token);
            var first = await Task.WhenAny(signalled, expired);
            await race.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            if (first == expired && !_signals.Reader.TryPeek(out _))
            {
                return [];
            }
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, cancellationToken);
        }

        var reasons = new List<string>();
        while (_signals.Reader.TryRead(out var reason))
        {
            reasons.Add(reason);
        }

        return reasons;
    }
}

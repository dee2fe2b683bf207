using K0sNodeIp.Native.Netlink;
using K0sNodeIp.Watch;
using Microsoft.Extensions.Logging.Abstractions;

namespace K0sNodeIp.Tests.Watch;

/// <summary>A netlink socket that fails is reopened with back-off; one that keeps failing is reported, not hidden.</summary>
public sealed class NetlinkWatcherRecoveryTests
{
    [Fact]
    public void Failing_socket_is_reopened_and_the_reopen_is_reported_as_a_change()
    {
        var sockets = new List<FakeSocket>();
        var reasons = new List<string>();
        using var reopened = new ManualResetEventSlim();
        using var watcher = new NetlinkWatcher(_ => false, allRoutes: false, reason =>
        {
            lock (reasons)
            {
                reasons.Add(reason);
            }

            reopened.Set();
        }, NullLogger.Instance, () =>
        {
            var socket = new FakeSocket(fail: sockets.Count == 0);
            sockets.Add(socket);
            return socket;
        }, TimeSpan.FromMilliseconds(10), maxFailures: 3);

        watcher.Start();

        Assert.True(reopened.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(["netlink watcher reopened"], reasons);
        Assert.True(watcher.Healthy);
        Assert.Equal(2, sockets.Count);
        Assert.True(sockets[0].Disposed);
    }

    [Fact]
    public void Socket_that_keeps_failing_is_reported_failed_after_the_last_attempt()
    {
        string? failure = null;
        using var failed = new ManualResetEventSlim();
        var opened = 0;
        using var watcher = new NetlinkWatcher(_ => false, allRoutes: false, _ => { }, NullLogger.Instance, () =>
        {
            Interlocked.Increment(ref opened);
            return new FakeSocket(fail: true);
        }, TimeSpan.FromMilliseconds(10), maxFailures: 3);
        watcher.Failed += reason =>
        {
            failure = reason;
            failed.Set();
        };

        watcher.Start();

        Assert.True(failed.Wait(TimeSpan.FromSeconds(10)));
        Assert.False(watcher.Healthy);
        Assert.Equal(3, opened);
        Assert.Contains("failed 3 times in a row", failure, StringComparison.Ordinal);
        Assert.Contains("recv(netlink)", failure, StringComparison.Ordinal);
    }

    private sealed class FakeSocket(bool fail) : INotificationSocket
    {
        private readonly ManualResetEventSlim _closed = new();

        public bool Disposed { get; private set; }

        public bool ReceiveNotifications(NetlinkSocket.NotificationHandler onMessage)
        {
            if (fail)
            {
                throw new K0sNodeIp.Native.NativeErrorException("recv(netlink)", 9);
            }

            // A healthy socket with nothing to say: block until closed.
            _closed.Wait();
            throw new ObjectDisposedException(nameof(FakeSocket));
        }

        public void Dispose()
        {
            Disposed = true;
            _closed.Set();
        }
    }
}

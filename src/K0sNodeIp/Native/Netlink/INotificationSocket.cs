namespace K0sNodeIp.Native.Netlink;

/// <summary>The one call the watcher makes on its netlink socket; a seam for tests of its error handling.</summary>
internal interface INotificationSocket : IDisposable
{
    /// <inheritdoc cref="NetlinkSocket.ReceiveNotifications"/>
    bool ReceiveNotifications(NetlinkSocket.NotificationHandler onMessage);
}

using Microsoft.Extensions.Logging;

namespace K0sNodeIp.Reload;

/// <summary>D-Bus first; systemctl only when the bus cannot be reached at all (not when systemd answers with an error).</summary>
internal sealed class FallbackSystemdManager(ISystemdManager dbus, ISystemdManager systemctl, ILogger logger) : ISystemdManager
{
    private bool _busUnavailable;

    public Task DaemonReloadAsync(CancellationToken cancellationToken) =>
        WithFallback(async m =>
        {
            await m.DaemonReloadAsync(cancellationToken);
            return string.Empty;
        });

    public Task<JobResult> TryRestartUnitAsync(string unit, bool waitForJob, CancellationToken cancellationToken) =>
        WithFallback(m => m.TryRestartUnitAsync(unit, waitForJob, cancellationToken));

    public Task<bool> IsRunningAsync(string unit, CancellationToken cancellationToken) =>
        WithFallback(m => m.IsRunningAsync(unit, cancellationToken));

    public Task<UnitStatus?> StatusAsync(string unit, CancellationToken cancellationToken) =>
        WithFallback(m => m.StatusAsync(unit, cancellationToken));

    public Task<JobResult> StartUnitAsync(string unit, bool waitForJob, CancellationToken cancellationToken) =>
        WithFallback(m => m.StartUnitAsync(unit, waitForJob, cancellationToken));

    private async Task<T> WithFallback<T>(Func<ISystemdManager, Task<T>> call)
    {
        if (!_busUnavailable)
        {
            try
            {
                return await call(dbus);
            }
            catch (Exception e) when (IsUnreachable(e))
            {
                logger.LogWarning("systemd's D-Bus API is unreachable ({Error}); using systemctl", e.Message);
                _busUnavailable = true;
            }
        }

        return await call(systemctl);
    }

    private static bool IsUnreachable(Exception e) =>
        e is Tmds.DBus.Protocol.DBusConnectionException or System.Net.Sockets.SocketException or SystemdException
        || e.InnerException is System.Net.Sockets.SocketException;
}

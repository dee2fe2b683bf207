using K0sNodeIp.Reload;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Tmds.DBus.Protocol;

namespace K0sNodeIp.Tests.Reload;

public sealed class FallbackSystemdManagerTests
{
    private readonly ISystemdManager _dbus = Substitute.For<ISystemdManager>();
    private readonly ISystemdManager _systemctl = Substitute.For<ISystemdManager>();

    [Fact]
    public async Task Unreachable_bus_falls_back_to_systemctl_for_daemon_reload_and_restart()
    {
        _dbus.DaemonReloadAsync(default).ThrowsAsyncForAnyArgs(new DBusConnectionException("no bus"));
        _systemctl.TryRestartUnitAsync(default!, default, default).ReturnsForAnyArgs(JobResult.Done);
        var manager = new FallbackSystemdManager(_dbus, _systemctl, NullLogger.Instance);

        await manager.DaemonReloadAsync(CancellationToken.None);
        var result = await manager.TryRestartUnitAsync("kubelet", true, CancellationToken.None);

        Assert.Equal(JobResult.Done, result);
        await _systemctl.Received(1).DaemonReloadAsync(Arg.Any<CancellationToken>());
        await _dbus.DidNotReceiveWithAnyArgs().TryRestartUnitAsync(default!, default, default);
    }

    [Fact]
    public async Task Error_answered_by_systemd_is_not_a_reason_to_fall_back()
    {
        // What Tmds.DBus throws when systemd answers with an error.
        _dbus.TryRestartUnitAsync(default!, default, default).ThrowsAsyncForAnyArgs(
            new Tmds.DBus.Protocol.DBusErrorReplyException("org.freedesktop.systemd1.NoSuchUnit", "Unit kubelet.service not found."));
        var manager = new FallbackSystemdManager(_dbus, _systemctl, NullLogger.Instance);

        var error = await Assert.ThrowsAsync<Tmds.DBus.Protocol.DBusErrorReplyException>(() => manager.TryRestartUnitAsync("kubelet", true, CancellationToken.None));
        Assert.Equal("org.freedesktop.systemd1.NoSuchUnit", error.ErrorName);
        Assert.Empty(_systemctl.ReceivedCalls());
    }
}

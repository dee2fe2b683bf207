using Microsoft.Extensions.Hosting.Systemd;

namespace K0sNodeIp.Agent;

/// <summary>
/// WATCHDOG=1 at half of systemd's WatchdogSec, only when systemd asked for it (sd_watchdog_enabled(3)); the pings stop
/// for good once the agent is no longer healthy, so systemd restarts it.
/// </summary>
internal sealed class Watchdog(ISystemdNotifier notifier, TimeProvider time, string? watchdogMicroseconds = null)
{
    public async Task RunAsync(Func<bool> healthy, CancellationToken stopping)
    {
        var setting = watchdogMicroseconds ?? Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        if (!long.TryParse(setting, out var microseconds) || microseconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMicroseconds(microseconds / 2), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                if (!healthy())
                {
                    return;
                }

                notifier.Notify(new ServiceState("WATCHDOG=1"));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

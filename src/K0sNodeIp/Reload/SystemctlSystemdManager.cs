using System.Diagnostics;

namespace K0sNodeIp.Reload;

/// <summary>The fallback when the system bus cannot be reached: systemctl, which waits for the job itself.</summary>
public sealed class SystemctlSystemdManager(string systemctl = "systemctl") : ISystemdManager
{
    public async Task DaemonReloadAsync(CancellationToken cancellationToken)
    {
        var (exit, error) = await RunAsync(cancellationToken, "daemon-reload");
        if (exit != 0)
        {
            throw new SystemdException($"systemctl daemon-reload exited {exit}: {error}");
        }
    }

    public async Task<string> RestartUnitAsync(string unit, bool waitForJob, CancellationToken cancellationToken)
    {
        var (exit, _) = waitForJob ? await RunAsync(cancellationToken, "restart", unit) : await RunAsync(cancellationToken, "restart", "--no-block", unit);
        return exit != 0 ? "failed" : waitForJob ? "done" : DbusSystemdManager.Queued;
    }

    private async Task<(int Exit, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var info = new ProcessStartInfo(systemctl) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(info) ?? throw new SystemdException($"cannot start {systemctl}");
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, (await error).Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SystemdException($"cannot run {systemctl}: {e.Message}", e);
        }
    }
}

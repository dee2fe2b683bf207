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

    public async Task<DateTimeOffset?> ActiveSinceAsync(string unit, CancellationToken cancellationToken)
    {
        var (exit, output) = await RunAsync(true, cancellationToken, "show", "-p", "ActiveState", "-p", "ActiveEnterTimestamp", "--timestamp=unix", unit);
        if (exit != 0 || !(output.Contains("ActiveState=active", StringComparison.Ordinal) || output.Contains("ActiveState=reloading", StringComparison.Ordinal)))
        {
            return null;
        }

        var stamp = output.Split('\n').FirstOrDefault(l => l.StartsWith("ActiveEnterTimestamp=@", StringComparison.Ordinal));
        return stamp is not null && long.TryParse(stamp["ActiveEnterTimestamp=@".Length..], System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }

    private Task<(int Exit, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args) =>
        RunAsync(false, cancellationToken, args);

    /// <returns>The exit code and standard error, or standard output when <paramref name="captureOutput"/>.</returns>
    private async Task<(int Exit, string Error)> RunAsync(bool captureOutput, CancellationToken cancellationToken, params string[] args)
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
            try
            {
                var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
                return (process.ExitCode, captureOutput ? output : (await error).Trim());
            }
            catch (OperationCanceledException)
            {
                // A retry must not find the timed-out systemctl still running beside it.
                process.Kill(entireProcessTree: true);
                throw;
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SystemdException($"cannot run {systemctl}: {e.Message}", e);
        }
    }
}

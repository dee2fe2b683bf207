using System.Diagnostics;
using K0sNodeIp.Node;

namespace K0sNodeIp.Reload;

/// <summary>The fallback when the system bus cannot be reached: systemctl, which waits for the job itself.</summary>
internal sealed class SystemctlSystemdManager(string systemctl = "systemctl") : ISystemdManager
{
    public async Task DaemonReloadAsync(CancellationToken cancellationToken)
    {
        var (exit, error) = await RunAsync(cancellationToken, "daemon-reload");
        if (exit != 0)
        {
            throw new SystemdException($"systemctl daemon-reload exited {exit}: {error}");
        }
    }

    public async Task<JobResult> TryRestartUnitAsync(string unit, bool waitForJob, CancellationToken cancellationToken)
    {
        var (exit, error) = waitForJob ? await RunAsync(cancellationToken, "try-restart", unit) : await RunAsync(cancellationToken, "try-restart", "--no-block", unit);
        if (exit != 0)
        {
            // systemctl says why on standard error ("Job for X failed because ..."): keep it for the log.
            throw new SystemdException($"systemctl try-restart {unit} exited {exit}: {(error.Length > 0 ? error : "(no message)")}");
        }

        return waitForJob ? JobResult.Done : JobResult.Queued;
    }

    /// <summary>Running, with a pending job that starts it counted (as <see cref="UnitStatus.Running"/> says).</summary>
    public async Task<bool> IsRunningAsync(string unit, CancellationToken cancellationToken) =>
        (await StatusAsync(unit, cancellationToken))?.Running == true;

    public async Task<JobResult> StartUnitAsync(string unit, bool waitForJob, CancellationToken cancellationToken)
    {
        var (exit, error) = waitForJob ? await RunAsync(cancellationToken, "start", unit) : await RunAsync(cancellationToken, "start", "--no-block", unit);
        if (exit != 0)
        {
            throw new SystemdException($"systemctl start {unit} exited {exit}: {(error.Length > 0 ? error : "(no message)")}");
        }

        return waitForJob ? JobResult.Done : JobResult.Queued;
    }

    public async Task<UnitStatus?> StatusAsync(string unit, CancellationToken cancellationToken)
    {
        var properties = await ShowAsync(unit, cancellationToken, "LoadState", "ActiveState", "SubState", "Result", "NRestarts", "Job");
        if (properties.GetValueOrDefault("LoadState") is not "loaded")
        {
            return null;
        }

        // systemctl show gives the job's id only; list-jobs gives its type.
        var job = UnitJobKind.None;
        if (properties.GetValueOrDefault("Job") is { Length: > 0 })
        {
            var (_, jobs) = await RunAsync(true, cancellationToken, "list-jobs", "--no-legend", "--no-pager", Name(unit));
            var fields = jobs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).FirstOrDefault(f => f.Length >= 3);
            job = fields is null ? UnitJobKind.None : UnitStatus.ParseJobType(fields[2]);
        }

        return new UnitStatus(
            UnitStatus.ParseActiveState(properties.GetValueOrDefault("ActiveState")),
            properties.GetValueOrDefault("SubState") ?? string.Empty,
            properties.GetValueOrDefault("Result") ?? string.Empty,
            job,
            uint.TryParse(properties.GetValueOrDefault("NRestarts"), System.Globalization.CultureInfo.InvariantCulture, out var restarts) ? restarts : 0);
    }

    private static string Name(string unit) => ServiceUnitName.Full(unit);

    /// <summary>Properties from one <c>systemctl show</c>.</summary>
    private async Task<Dictionary<string, string>> ShowAsync(string unit, CancellationToken cancellationToken, params string[] names)
    {
        var (exit, output) = await RunAsync(true, cancellationToken, ["show", .. names.SelectMany(n => new[] { "-p", n }), unit]);
        if (exit != 0)
        {
            // Not "stopped": systemd could not be asked at all, so nothing is known.
            throw new SystemdException($"systemctl show {unit} exited {exit}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
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

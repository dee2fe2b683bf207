using System.Collections.Concurrent;
using System.Diagnostics;

namespace K0sNodeIp.Tests.Support;

/// <summary>The real agent running in the background, its log lines collected as they come.</summary>
public sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    /// <param name="metricsPath">The agent's Metrics:TextfilePath, whose counters say what it did.</param>
    public DaemonProcess(string file, IEnumerable<string> args, string? metricsPath = null)
    {
        MetricsPath = metricsPath;
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string Log => string.Join('\n', _lines);

    public string? MetricsPath { get; }

    /// <summary>Reconciles the agent completed (each detection), as its metrics count them: each is over when counted.</summary>
    public long Reconciles => Counter("k0s_node_ip_reconciles_total");

    /// <summary>Writes of the target the agent made, as its metrics count them.</summary>
    public long Writes => Counter("k0s_node_ip_writes_total");

    private long Counter(string name)
    {
        var path = MetricsPath ?? throw new InvalidOperationException("the agent was started without a metrics file to count from");
        var text = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        return text.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Select(l => long.Parse(l[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Polls <paramref name="condition"/> until it holds or the time is up.</summary>
    public static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(50);
        }

        return condition();
    }

    /// <summary>SIGTERM, then the exit code (null when it did not stop in time).</summary>
    public int? Stop(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            ProcessRunner.Run("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], check: false);
        }

        return _process.WaitForExit(timeout) ? _process.ExitCode : null;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}

using System.Diagnostics;
using K0sNodeIp.Tests.Support;
using Xunit.Abstractions;

namespace K0sNodeIp.Tests.Integration;

/// <summary>SIGKILL at random instants of real rewrites: the file is always the whole old or the whole new content.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    private const int Rewrites = 200;

    // A long line makes a torn write visible at any offset.
    private static readonly string Padding = new('x', 8192);
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-crash").FullName;

    [Fact]
    public void Sigkill_during_rewrites_never_leaves_a_torn_file()
    {
        var path = Path.Combine(_dir, "node-ip");
        string Expected(int i) => $"--node-ip=192.0.2.{i},2001:db8::{i} {Padding}\n";
        var duration = Run(path, 1, kill: null);
        Assert.Equal(Expected(1), File.ReadAllText(path));

        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}, one full run {duration.TotalMilliseconds:0} ms");
        var random = new Random(seed);
        int killed = 0, written = 0;
        var previous = Expected(1);
        for (var n = 0; n < Rewrites; n++)
        {
            var value = 2 + (n % 2);
            var wasKilled = Run(path, value, TimeSpan.FromMilliseconds(random.NextDouble() * duration.TotalMilliseconds * 1.2)) == TimeSpan.MinValue;
            killed += wasKilled ? 1 : 0;
            var content = File.ReadAllText(path);
            Assert.True(content == previous || content == Expected(value), $"torn or foreign content after rewrite {n} (seed {seed}): {content.Length} bytes");
            written += content != previous ? 1 : 0;
            previous = content;
        }

        output.WriteLine($"{killed} killed, {written} rewrites landed");
        Assert.True(killed > 0, "no run was killed: the test did not exercise a crash");
        Assert.True(written > 0, "no rewrite landed");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Runs --once to write <paramref name="value"/>; kills it after <paramref name="kill"/>. Returns the run time, or MinValue when killed.</summary>
    private static TimeSpan Run(string path, int value, TimeSpan? kill)
    {
        var command = ProgramUnderTest.Command;
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1).Concat([
            "--once", "--Target:Kind=file", $"--Target:Path={path}", $"--Target:Template={{nodeIpFlag}} {Padding}", "--Reload:Mode=none",
            $"--Detection:StaticIPv4=192.0.2.{value}", $"--Detection:StaticIPv6=2001:db8::{value}", "--Detection:Sources:0=Hostname"]))
        {
            info.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        if (kill is { } after && !process.WaitForExit(after))
        {
            process.Kill();
            process.WaitForExit();
            return TimeSpan.MinValue;
        }

        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return clock.Elapsed;
    }
}

using System.Diagnostics;
using K0sNodeIp.Tests.Support;
using Xunit.Abstractions;

namespace K0sNodeIp.Tests.Integration;

/// <summary>SIGKILL at random instants of real rewrites: the file is always the whole old or the whole new content.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    private const int Rewrites = 200;

    // Four megabytes make the write (and its fsync) long enough for random kills to land inside it, and a torn
    // write visible at any offset.
    private static readonly string Padding = new('x', 4 * 1024 * 1024);
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-crash").FullName;

    [Fact]
    public void Sigkill_during_rewrites_never_leaves_a_torn_file()
    {
        var path = Path.Combine(_dir, "node-ip");
        string Expected(int i) => $"--node-ip=192.0.2.{i},2001:db8::{i} {Padding}\n";
        Run(path, 1, kill: null);
        Assert.Equal(Expected(1), File.ReadAllText(path));

        // Calibrate on runs that replace the file (read, back up once, write, fsync, rename), as the killed ones do.
        var duration = TimeSpan.FromTicks(Math.Max(Run(path, 2, kill: null).Ticks, Run(path, 3, kill: null).Ticks));
        Assert.Equal(Expected(3), File.ReadAllText(path));
        output.WriteLine($"one full run {duration.TotalMilliseconds:0} ms");

        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        int killed = 0, written = 0, killedMidWrite = 0;
        var previous = Expected(3);
        // At least 200 rewrites; on a noisy machine, go on (up to three times as many) until a kill lands inside a write.
        for (var n = 0; n < Rewrites || (killedMidWrite == 0 && n < 3 * Rewrites); n++)
        {
            var value = 2 + (n % 2);
            var wasKilled = Run(path, value, TimeSpan.FromMilliseconds((0.4 + random.NextDouble()) * duration.TotalMilliseconds)) == TimeSpan.MinValue;
            killed += wasKilled ? 1 : 0;

            // A temporary file left behind is the proof that the kill landed inside a write; clear it for the next one.
            var leftovers = Directory.GetFiles(_dir, ".node-ip.k0s-node-ip.tmp.*");
            killedMidWrite += leftovers.Length > 0 ? 1 : 0;
            foreach (var leftover in leftovers)
            {
                File.Delete(leftover);
            }
            var content = File.ReadAllText(path);
            Assert.True(content == previous || content == Expected(value), $"torn or foreign content after rewrite {n} (seed {seed}): {content.Length} bytes");
            written += content != previous ? 1 : 0;
            previous = content;
        }

        output.WriteLine($"{killed} killed, {killedMidWrite} of them inside a write, {written} rewrites landed");
        Assert.True(killedMidWrite > 0, "no kill landed inside a write: the test did not exercise a torn write");
        Assert.True(written > 0, "no rewrite landed");
    }

    [RootFact]
    public void Sigkill_of_the_daemon_during_rewrites_never_leaves_a_torn_file()
    {
        // The node's IPv4 address alternates between .10 and .11; each daemon start rewrites the file for it.
        using var node = new TestNode();
        node.AddLink("eth0");
        Flip(node, 10);
        var path = Path.Combine(_dir, "node-ip");
        var config = Path.Combine(_dir, "daemon.json");
        File.WriteAllText(config, $$"""{ "Target": { "Kind": "file", "Path": "{{path}}", "Template": "{nodeIpFlag} {{Padding}}" }, "Reload": { "Mode": "none" }, "Detection": { "Sources": [ "DefaultRoute" ] } }""");
        string Expected(int host) => $"--node-ip=192.0.2.{host} {Padding}\n";
        using (var first = node.StartAgent("node1", "--config", config))
        {
            Assert.True(DaemonProcess.WaitFor(() => File.Exists(path) && File.ReadAllText(path) == Expected(10), TimeSpan.FromSeconds(20)), first.Log);
        }

        Flip(node, 11);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var timed = node.StartAgent("node1", "--config", config))
        {
            // A tight poll: the kills below aim at the moment the write happens.
            while (File.ReadAllText(path) != Expected(11) && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                Thread.Sleep(2);
            }
        }

        var duration = clock.Elapsed;
        Assert.Equal(Expected(11), File.ReadAllText(path));
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}, daemon start to rewrite {duration.TotalMilliseconds:0} ms");
        var random = new Random(seed);
        int killedMidWrite = 0, written = 0;
        var previous = Expected(11);

        // The kills aim around the moment of the write, which moves with the machine's load: a kill after the write
        // moves the aim earlier, one before it later, so that the kills keep landing around the write.
        var aim = duration.TotalMilliseconds;
        for (var n = 0; n < Rewrites || (killedMidWrite == 0 && n < 3 * Rewrites); n++)
        {
            var host = 10 + (n % 2);
            Flip(node, host);
            using (var agent = node.StartAgent("node1", "--config", config))
            {
                Thread.Sleep(TimeSpan.FromMilliseconds((0.7 + (random.NextDouble() * 0.6)) * aim));
            }

            var leftovers = Directory.GetFiles(_dir, ".node-ip.k0s-node-ip.tmp.*");
            killedMidWrite += leftovers.Length > 0 ? 1 : 0;
            foreach (var leftover in leftovers)
            {
                File.Delete(leftover);
            }

            var content = File.ReadAllText(path);
            Assert.True(content == Expected(10) || content == Expected(11), $"torn or foreign content after kill {n} (seed {seed}): {content.Length} bytes");
            written += content != previous ? 1 : 0;
            aim = leftovers.Length > 0 ? aim : content != previous ? aim * 0.93 : aim * 1.07;
            previous = content;
        }

        output.WriteLine($"{killedMidWrite} kills inside a write, {written} rewrites landed");
        Assert.True(killedMidWrite > 0, "no kill landed inside a write: the test did not exercise a torn write");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Makes 192.0.2.HOST the node's only IPv4 address (/32s: deleting one never takes the other along).</summary>
    private static void Flip(TestNode node, int host)
    {
        node.Ip("addr", "replace", $"192.0.2.{host}/32", "dev", "eth0");
        node.Exec("sh", "-c", $"ip addr del 192.0.2.{(host == 10 ? 11 : 10)}/32 dev eth0 2>/dev/null; true");
        node.Ip("route", "replace", "default", "via", "192.0.2.1", "dev", "eth0", "onlink");
    }

    /// <summary>Runs --once to write <paramref name="value"/>; kills it after <paramref name="kill"/>. Returns the run time, or MinValue when killed.</summary>
    private TimeSpan Run(string path, int value, TimeSpan? kill)
    {
        var command = ProgramUnderTest.Command;
        var config = Path.Combine(_dir, "config.json");
        if (!File.Exists(config))
        {
            File.WriteAllText(config, $$"""{ "Target": { "Kind": "file", "Path": "{{path}}", "Template": "{nodeIpFlag} {{Padding}}" } }""");
        }

        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1).Concat([
            "--once", "--config", config, "--Reload:Mode=none",
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

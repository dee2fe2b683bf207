using System.Diagnostics;
using System.Globalization;

namespace K0sNodeIp.Tests.Support;

/// <summary>
/// A real systemd booted as PID 1 of new PID, mount, UTS and network namespaces, on an overlay of the cached
/// Debian root that scripts/systemd-root prepares (systemd-nspawn does not work here). Files are written
/// through /proc/PID/root; commands run with nsenter.
/// </summary>
public sealed class SystemdNode : IDisposable
{
    public const string RootVariable = "TEST_K0S_NODE_IP_ROOT";
    private const string DefaultRoot = "/var/cache/k0s-node-ip-tests/bookworm";

    private readonly string _work = Directory.CreateTempSubdirectory("k0snip-systemd").FullName;
    private readonly Process _unshare;
    private readonly List<string> _hostLinks = [];

    public SystemdNode()
    {
        var lower = Environment.GetEnvironmentVariable(RootVariable) ?? DefaultRoot;
        if (!File.Exists(Path.Combine(lower, "lib/systemd/systemd")))
        {
            throw new InvalidOperationException($"no Debian root at {lower}: run scripts/systemd-root (the test command does)");
        }

        foreach (var dir in (string[])["upper", "work", "root"])
        {
            Directory.CreateDirectory(Path.Combine(_work, dir));
        }

        var boot = Path.Combine(_work, "boot.sh");
        File.WriteAllText(boot, $"""
            #!/bin/sh
            set -e
            W={_work}
            mount -t overlay overlay -o lowerdir={lower},upperdir=$W/upper,workdir=$W/work $W/root
            mount -t proc proc $W/root/proc
            mount --rbind /sys $W/root/sys
            mount --rbind /dev $W/root/dev
            mount -t tmpfs tmpfs $W/root/run
            mount -t tmpfs tmpfs $W/root/tmp
            exec chroot $W/root /lib/systemd/systemd --system
            """);
        var info = new ProcessStartInfo("unshare") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-fpmun", "--propagation", "private", "sh", boot])
        {
            info.ArgumentList.Add(arg);
        }

        _unshare = Process.Start(info)!;
        _unshare.StandardOutput.ReadToEndAsync();
        _unshare.StandardError.ReadToEndAsync();
        Pid = WaitForSystemd();

        // The package's config spreads restarts over up to 30 s; tests wait for a restart soon after a change, so the
        // agent of every node restarts at once unless a test takes this away (RestartSpreadTests).
        WriteFile(NoSpreadDropIn, "[Service]\nEnvironment=K0SNODEIP_Reload__RandomDelay=00:00:00\n");
    }

    /// <summary>The drop-in that turns the package's Reload:RandomDelay off for the tests.</summary>
    public const string NoSpreadDropIn = "/etc/systemd/system/k0s-node-ip.service.d/00-tests-no-spread.conf";

    /// <summary>systemd's PID as the host sees it.</summary>
    public int Pid { get; }

    public string Root => $"/proc/{Pid}/root";

    public ProcessRunner.Result Exec(params string[] command) =>
        ProcessRunner.Run("nsenter", ["-t", Pid.ToString(CultureInfo.InvariantCulture), "-m", "-p", "-u", "-n", "-r", "-w", .. command], check: true, TimeSpan.FromSeconds(120));

    public ProcessRunner.Result TryExec(params string[] command) =>
        ProcessRunner.Run("nsenter", ["-t", Pid.ToString(CultureInfo.InvariantCulture), "-m", "-p", "-u", "-n", "-r", "-w", .. command], check: false, TimeSpan.FromSeconds(120));

    public void WriteFile(string path, string content, UnixFileMode? mode = null)
    {
        var full = Root + path;
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        if (mode is { } m)
        {
            File.SetUnixFileMode(full, m);
        }
    }

    public string? ReadFile(string path) => File.Exists(Root + path) ? File.ReadAllText(Root + path) : null;

    public void CopyIn(string hostPath, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Root + path)!);
        File.Copy(hostPath, Root + path, overwrite: true);
    }

    /// <summary>A veth pair with <paramref name="device"/> inside, both ends up.</summary>
    public void AddLink(string device)
    {
        var hostEnd = "ks" + Guid.NewGuid().ToString("N")[..10];
        ProcessRunner.Run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", device, "netns", Pid.ToString(CultureInfo.InvariantCulture));
        _hostLinks.Add(hostEnd);
        ProcessRunner.Run("ip", "link", "set", hostEnd, "up");
        Exec("ip", "link", "set", device, "up");
        Exec("ip", "link", "set", "lo", "up");
    }

    /// <summary>A node with eth0 holding 192.0.2.10 and 2001:db8::10 behind default routes, and no DNS server.</summary>
    public void AddDualStackNetwork()
    {
        AddLink("eth0");
        Exec("ip", "addr", "add", "192.0.2.10/24", "dev", "eth0");
        Exec("ip", "-6", "addr", "add", "2001:db8::10/64", "dev", "eth0", "nodad");
        Exec("ip", "route", "add", "default", "via", "192.0.2.1");
        Exec("ip", "-6", "route", "add", "default", "via", "2001:db8::1");

        // The hostname resolves through /etc/hosts, so no DNS server (and no DNS timeout) is involved.
        WriteFile("/etc/hosts", "127.0.0.1 localhost\n");
        WriteFile("/etc/resolv.conf", "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
    }

    /// <summary>A stand-in for k0s or the kubelet: logs its arguments, one per line after "--- start", then sleeps.</summary>
    public void InstallStandIn(string unit, string execStart, string? extra = null)
    {
        WriteFile("/usr/local/bin/stand-in", """
            #!/bin/sh
            log=/var/log/stand-in-$STAND_IN.log
            { echo "--- start $(date +%s.%N)"; printf '%s\n' "$@"; } >> "$log"
            exec sleep infinity
            """, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        WriteFile($"/etc/systemd/system/{unit}.service", $"""
            [Unit]
            Description=stand-in for {unit}

            [Service]
            Environment=STAND_IN={unit}
            {extra}
            ExecStart={execStart}
            KillMode=process

            [Install]
            WantedBy=multi-user.target
            """);
        Exec("systemctl", "daemon-reload");
        Exec("systemctl", "start", unit + ".service");
        DaemonProcess.WaitFor(() => StartsOf(unit).Count > 0, TimeSpan.FromSeconds(5));
    }

    /// <summary>The argument lists of each start of a stand-in, oldest first.</summary>
    public IReadOnlyList<IReadOnlyList<string>> StartsOf(string unit) => Starts(unit).Select(s => s.Arguments).ToList();

    /// <summary>The agent's <c>STATUS=</c> as systemd shows it.</summary>
    public string AgentStatusText() => TryExec("systemctl", "show", "-p", "StatusText", "k0s-node-ip").Stdout;

    /// <summary>The agent's journal records of priority warning and above, one per line.</summary>
    public string AgentWarnings() => TryExec("journalctl", "-u", "k0s-node-ip", "-p", "warning", "--no-pager", "-o", "cat").Stdout;

    public string[] AgentJournalLines() => TryExec("journalctl", "-u", "k0s-node-ip", "--no-pager", "-o", "cat").Stdout.Split('\n');

    public bool WaitForAgentJournal(string text) =>
        DaemonProcess.WaitFor(() => AgentJournalLines().Any(l => l.Contains(text, StringComparison.Ordinal)), TimeSpan.FromSeconds(20));

    /// <summary>The last records of the agent and <paramref name="unit"/>, timed: what a failed assertion shows.</summary>
    public string AgentJournal(string unit = "k0sworker") =>
        TryExec("journalctl", "-u", "k0s-node-ip", "-u", unit, "--no-pager", "-n", "80", "-o", "short-precise").Stdout;

    /// <summary>Positive evidence that no restart is pending: a reload's detection, after everything before, restarts nothing.</summary>
    public void AssertNothingMorePending()
    {
        Assert.True(DaemonProcess.WaitFor(() => TryExec("systemctl", "is-active", "k0s-node-ip").Stdout.Trim() == "active", TimeSpan.FromSeconds(10)), AgentJournal());
        var before = AgentJournalLines().Length;
        Exec("systemctl", "reload", "k0s-node-ip");
        Assert.True(DaemonProcess.WaitFor(() =>
        {
            var lines = AgentJournalLines().Skip(before).ToArray();
            var reload = Array.FindLastIndex(lines, l => l.Contains("(SIGHUP", StringComparison.Ordinal));
            return reload >= 0 && lines.Skip(reload + 1).Any(l => l.Contains("nothing to restart", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(15)), AgentJournal());
    }

    /// <summary>When each start of a stand-in happened (Unix seconds), with its arguments.</summary>
    public IReadOnlyList<(double Time, IReadOnlyList<string> Arguments)> Starts(string unit)
    {
        var starts = new List<(double, IReadOnlyList<string>)>();
        foreach (var line in (ReadFile($"/var/log/stand-in-{unit}.log") ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("--- start ", StringComparison.Ordinal))
            {
                starts.Add((double.Parse(line["--- start ".Length..], CultureInfo.InvariantCulture), new List<string>()));
            }
            else if (starts.Count > 0)
            {
                ((List<string>)starts[^1].Item2).Add(line);
            }
        }

        return starts;
    }

    /// <summary>Installs the agent from the repository's unit and the test binary, with extra environment, and starts it.</summary>
    public void InstallAgent(params string[] environment)
    {
        CopyIn(Packages.Binary, "/usr/bin/k0s-node-ip");
        CopyIn(Path.Combine(Packages.RepositoryRoot, "systemd", "k0s-node-ip.service"), "/etc/systemd/system/k0s-node-ip.service");
        CopyIn(Path.Combine(Packages.RepositoryRoot, "systemd", "k0s-node-ip-tidy.service"), "/etc/systemd/system/k0s-node-ip-tidy.service");
        WriteFile("/etc/systemd/system/k0s-node-ip.service.d/test.conf", "[Service]\n" + string.Concat(environment.Select(e => $"Environment={e}\n")));
        Exec("systemctl", "daemon-reload");
        Exec("systemctl", "start", "k0s-node-ip.service");
    }

    /// <summary>Runs a shell command in the node's network namespace only, as an operator's tools outside it would.</summary>
    public ProcessRunner.Result InNetwork(string script, TimeSpan timeout) =>
        ProcessRunner.Run("nsenter", ["-t", Pid.ToString(CultureInfo.InvariantCulture), "-n", "sh", "-c", script], check: true, timeout);

    public void Dispose()
    {
        ProcessRunner.Run("kill", ["-KILL", Pid.ToString(CultureInfo.InvariantCulture)], check: false);
        _unshare.WaitForExit(10_000);
        foreach (var link in _hostLinks)
        {
            ProcessRunner.Run("ip", ["link", "del", link], check: false);
        }

        ProcessRunner.Run("rm", ["-rf", _work], check: false);
    }

    private int WaitForSystemd()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var child = ProcessRunner.Run("pgrep", ["-P", _unshare.Id.ToString(CultureInfo.InvariantCulture)], check: false).Stdout.Trim();
            if (int.TryParse(child, out var pid))
            {
                var state = ProcessRunner.Run("nsenter", ["-t", child, "-m", "-p", "-r", "-w", "systemctl", "is-active", "dbus.service"], check: false).Stdout.Trim();
                if (state == "active")
                {
                    return pid;
                }
            }

            if (_unshare.HasExited)
            {
                throw new InvalidOperationException($"systemd did not boot: unshare exited {_unshare.ExitCode}");
            }

            Thread.Sleep(200);
        }

        throw new TimeoutException("systemd did not bring up D-Bus within 60 s");
    }
}

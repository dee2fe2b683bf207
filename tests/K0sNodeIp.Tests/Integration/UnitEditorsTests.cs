using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// The k0s unit shared with its other editors, on a real systemd with a stand-in k0s worker enabled as k0s installs it:
/// an upgrade (k0sctl-style: rewrite, daemon-reload, restart at once), an operator's hand edit of the agent's drop-in,
/// a `systemctl edit` override, a worker that fails after the agent's restart, the package removed, the unit removed or
/// not installed yet, and an operator's restart colliding with the agent's. Each waits for positive evidence (a start
/// record, a journal line) before asserting what did not happen.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class UnitEditorsTests
{
    private const string Worker = @"/usr/local/bin/stand-in worker --kubelet-extra-args=--v=2 --token-file=/etc/k0s/k0stoken";
    private const string UnitPath = "/etc/systemd/system/k0sworker.service";
    private const string DropIn = "/etc/systemd/system/k0sworker.service.d/50-k0s-node-ip.conf";
    private const string Pair = "--kubelet-extra-args=--v=2 --node-ip=192.0.2.10,2001:db8::10";
    private const string Prom = "/var/lib/node_exporter/textfile_collector/k0s_node_ip.prom";

    [RootFact]
    public void Upgrade_that_rewrites_the_unit_and_restarts_at_once_starts_the_worker_once_with_the_new_command_line()
    {
        using var node = StartedNode();

        // k0sctl's upgrade: the unit gains a flag, then daemon-reload and restart, at once.
        node.WriteFile(UnitPath, node.ReadFile(UnitPath)!.Replace("--token-file", "--labels=upgraded=yes --token-file", StringComparison.Ordinal));
        node.TryExec("sh", "-c", "systemctl daemon-reload && systemctl restart k0sworker");

        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Any(s => s.Contains("--labels=upgraded=yes")), TimeSpan.FromSeconds(30)), node.AgentJournal());
        node.AssertNothingMorePending();
        var starts = node.StartsOf("k0sworker");
        Assert.Equal(3, starts.Count);
        Assert.Contains("--labels=upgraded=yes", starts[2]);
        Assert.Contains(Pair, starts[2]);
    }

    [RootFact]
    public void Unit_rewritten_without_a_restart_is_followed_and_daemon_reloaded_and_applies_at_the_next_start()
    {
        using var node = StartedNode();

        node.WriteFile(UnitPath, node.ReadFile(UnitPath)!.Replace("--token-file", "--labels=upgraded=yes --token-file", StringComparison.Ordinal));

        Assert.True(node.WaitForAgentJournal("command line changed in its unit file"), node.AgentJournal());
        Assert.Contains("--labels=upgraded=yes", node.ReadFile(DropIn), StringComparison.Ordinal);
        Assert.Equal("NeedDaemonReload=no", node.Exec("systemctl", "show", "-p", "NeedDaemonReload", "k0sworker").Stdout.Trim());
        node.AssertNothingMorePending();
        Assert.Equal(2, node.StartsOf("k0sworker").Count);

        // The worker's next start (the operator's, k0s's own) takes the new command line with the pair.
        node.Exec("systemctl", "restart", "k0sworker");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 3, TimeSpan.FromSeconds(10)), node.AgentJournal());
        Assert.Equal(new[] { "worker", Pair, "--labels=upgraded=yes", "--token-file=/etc/k0s/k0stoken" }, node.StartsOf("k0sworker")[2]);
    }

    [RootFact]
    public void Upgrade_while_the_agent_is_stopped_starts_the_worker_with_the_copy_as_before()
    {
        using var node = StartedNode();
        node.Exec("systemctl", "stop", "k0s-node-ip");

        // The ExecCondition= refuses only while the agent runs: a stopped (or removed) agent never blocks k0s.
        node.WriteFile(UnitPath, node.ReadFile(UnitPath)!.Replace("--token-file", "--labels=upgraded=yes --token-file", StringComparison.Ordinal));
        node.Exec("sh", "-c", "systemctl daemon-reload && systemctl restart k0sworker");

        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 3, TimeSpan.FromSeconds(10)), node.AgentJournal());
        Assert.Equal(new[] { "worker", Pair, "--token-file=/etc/k0s/k0stoken" }, node.StartsOf("k0sworker")[2]);
        Assert.Equal("active", node.TryExec("systemctl", "is-active", "k0sworker").Stdout.Trim());
    }

    [RootFact]
    public void Hand_edit_of_the_drop_in_is_kept_with_a_warning_and_restarts_nothing_now_or_at_the_next_agent_start()
    {
        using var node = StartedNode();

        node.WriteFile(DropIn, node.ReadFile(DropIn) + "Environment=FOO=1\n");
        node.Exec("systemctl", "daemon-reload");
        node.Exec("systemctl", "reload", "k0s-node-ip");

        Assert.True(node.WaitForAgentJournal("line(s) k0s-node-ip does not write (Environment=FOO=1): kept"), node.AgentJournal());
        Assert.Contains("Environment=FOO=1", node.ReadFile(DropIn), StringComparison.Ordinal);
        Assert.Contains("40-local.conf", node.AgentWarnings(), StringComparison.Ordinal);
        Assert.Equal("NeedDaemonReload=no", node.Exec("systemctl", "show", "-p", "NeedDaemonReload", "k0sworker").Stdout.Trim());

        // The agent's next start owes no restart for it either.
        node.Exec("systemctl", "restart", "k0s-node-ip");
        node.AssertNothingMorePending();
        Assert.Equal(2, node.StartsOf("k0sworker").Count);
    }

    [RootFact]
    public void Override_that_replaces_the_agents_ExecStart_is_a_warning_and_in_STATUS()
    {
        using var node = StartedNode(metrics: true);

        // What `systemctl edit k0sworker` leaves: override.conf sorts after 50-k0s-node-ip.conf.
        node.WriteFile("/etc/systemd/system/k0sworker.service.d/override.conf", "[Service]\nExecStart=\nExecStart=/usr/local/bin/stand-in worker --v=9\n");
        node.Exec("systemctl", "daemon-reload");
        node.Exec("systemctl", "reload", "k0s-node-ip");

        Assert.True(node.WaitForAgentJournal("override.conf sets ExecStart= after " + DropIn), node.AgentJournal());
        Assert.Contains("override.conf sets ExecStart=", node.AgentWarnings(), StringComparison.Ordinal);
        Assert.True(DaemonProcess.WaitFor(() => node.AgentStatusText().Contains("override.conf sets ExecStart=", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), node.AgentStatusText());
        Assert.True(DaemonProcess.WaitFor(() => node.ReadFile(Prom) is { } prom
            && prom.Contains("\nk0s_node_ip_exec_start_overridden 1\n", StringComparison.Ordinal)
            && prom.Contains("\nk0s_node_ip_drift 1\n", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), node.ReadFile(Prom));

        // --check names the file that wins, and counts it as drift.
        var check = node.TryExec("k0s-node-ip", "--check", "--Metrics:TextfilePath=");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("(ExecStart= replaced by /etc/systemd/system/k0sworker.service.d/override.conf)", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("DRIFT: /etc/systemd/system/k0sworker.service.d/override.conf sets ExecStart= after " + DropIn, check.Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public void New_pair_under_an_override_that_replaces_ExecStart_is_written_and_warned_about_but_restarts_nothing()
    {
        using var node = StartedNode();
        node.WriteFile("/etc/systemd/system/k0sworker.service.d/override.conf", "[Service]\nExecStart=\nExecStart=/usr/local/bin/stand-in worker --v=9\n");
        node.Exec("systemctl", "daemon-reload");
        node.Exec("systemctl", "reload", "k0s-node-ip");
        Assert.True(node.WaitForAgentJournal("override.conf sets ExecStart= after " + DropIn), node.AgentJournal());

        node.InNetwork("ip -6 addr add 2001:db8::20/64 dev eth0 nodad && ip -6 addr del 2001:db8::10/64 dev eth0", TimeSpan.FromSeconds(10));

        Assert.True(node.WaitForAgentJournal("k0sworker cannot receive the new node IP, so it is not restarted for it"), node.AgentJournal());
        Assert.Contains("--node-ip=192.0.2.10,2001:db8::20", node.ReadFile(DropIn), StringComparison.Ordinal);
        Assert.Null(node.ReadFile(DropIn + ".k0s-node-ip.bak"));
        Assert.Equal("NeedDaemonReload=no", node.Exec("systemctl", "show", "-p", "NeedDaemonReload", "k0sworker").Stdout.Trim());
        node.AssertNothingMorePending();
        Assert.Equal(2, node.StartsOf("k0sworker").Count);
    }

    [RootFact]
    public void Agent_restarted_mid_grace_continues_that_grace_and_goes_single_stack_when_it_ends()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.InstallStandIn("k0sworker", Worker);
        node.Exec("systemctl", "enable", "k0sworker.service");
        node.InstallAgent("K0SNODEIP_Reload__MinInterval=00:00:00", "K0SNODEIP_Watch__Debounce=00:00:00.5", "K0SNODEIP_Watch__FamilyGracePeriod=00:00:20");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());

        var removed = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        node.InNetwork("ip -6 addr del 2001:db8::10/64 dev eth0", TimeSpan.FromSeconds(10));
        Assert.True(node.WaitForAgentJournal("IPv6 address 2001:db8::10 disappeared"), node.AgentJournal());

        // A package upgrade or an operator's restart, well within the grace (and the default 30 s start-up wait).
        node.Exec("systemctl", "restart", "k0s-node-ip");

        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 3, TimeSpan.FromSeconds(45)), node.AgentJournal());
        var (time, arguments) = node.Starts("k0sworker")[2];
        Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=192.0.2.10", arguments);
        Assert.True(time - removed is > 19 and < 22, $"single-stack {time - removed:0.0} s after IPv6 went, with a 20 s grace\n{node.AgentJournal()}");
        Assert.Contains(node.AgentJournalLines(), l => l.Contains("missing since", StringComparison.Ordinal) && l.Contains("previous run in this boot", StringComparison.Ordinal));
    }

    [RootFact]
    public void Worker_that_fails_after_the_agents_restart_is_a_warning_with_the_pair_and_no_restart_of_its_own()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        // k0s's own unit shape; this worker cannot start with 2001:db8::20.
        node.WriteFile("/usr/local/bin/picky-worker", """
            #!/bin/sh
            { echo "--- start $(date +%s.%N)"; printf '%s\n' "$@"; } >> /var/log/stand-in-k0sworker.log
            case "$*" in *2001:db8::20*) echo "picky-worker: cannot use this --node-ip" >&2; exit 1 ;; esac
            exec sleep infinity
            """, (UnixFileMode)0b111_101_101);
        node.InstallStandIn("k0sworker", "/usr/local/bin/picky-worker worker --kubelet-extra-args=--v=2", "Restart=always\nRestartSec=10");
        node.Exec("mkdir", "-p", Path.GetDirectoryName(Prom)!);
        node.InstallAgent("K0SNODEIP_Reload__MinInterval=00:00:00", "K0SNODEIP_Watch__Debounce=00:00:00.5");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());

        node.InNetwork("ip -6 addr add 2001:db8::20/64 dev eth0 nodad && ip -6 addr del 2001:db8::10/64 dev eth0", TimeSpan.FromSeconds(10));

        Assert.True(node.WaitForAgentJournal("k0sworker failed after k0s-node-ip restarted it with --node-ip=192.0.2.10,2001:db8::20"), node.AgentJournal());
        Assert.Contains("failed after k0s-node-ip restarted it", node.AgentWarnings(), StringComparison.Ordinal);
        Assert.True(DaemonProcess.WaitFor(() => node.AgentStatusText().Contains("failed after k0s-node-ip restarted it", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), node.AgentStatusText());
        Assert.True(DaemonProcess.WaitFor(() => node.ReadFile(Prom) is { } prom
            && prom.Contains("\nk0s_node_ip_unit_failed_after_restart 1\n", StringComparison.Ordinal)
            && prom.Contains("\nk0s_node_ip_unit_failures_after_restart_total 1\n", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), node.ReadFile(Prom));
        Assert.Single(node.AgentJournalLines(), l => l.Contains("restarted k0sworker", StringComparison.Ordinal) && l.Contains("2001:db8::20", StringComparison.Ordinal));
    }

    [RootFact]
    public void Removed_package_leaves_k0s_with_its_own_current_command_line()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.InstallStandIn("k0sworker", Worker);
        node.Exec("systemctl", "enable", "k0sworker.service");
        node.WriteFile("/etc/systemd/system/k0s-node-ip.service.d/test.conf", "[Service]\nEnvironment=K0SNODEIP_Reload__MinInterval=00:00:00 K0SNODEIP_Watch__Debounce=00:00:00.5\n");
        node.CopyIn(Packages.Deb("0.1.0"), "/tmp/k0s-node-ip.deb");
        node.Exec("dpkg", "-i", "/tmp/k0s-node-ip.deb");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());

        node.Exec("dpkg", "-r", "k0s-node-ip");
        Assert.Null(node.ReadFile("/usr/bin/k0s-node-ip"));

        // A later k0s upgrade reaches the worker: it starts with its unit's own, new command line.
        node.WriteFile(UnitPath, node.ReadFile(UnitPath)!.Replace("--token-file", "--labels=upgraded=yes --token-file", StringComparison.Ordinal));
        node.Exec("sh", "-c", "systemctl daemon-reload && systemctl restart k0sworker");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 3, TimeSpan.FromSeconds(10)), node.AgentJournal());
        Assert.Equal(new[] { "worker", "--kubelet-extra-args=--v=2", "--labels=upgraded=yes", "--token-file=/etc/k0s/k0stoken" }, node.StartsOf("k0sworker")[2]);
        Assert.Null(node.ReadFile(DropIn));
    }

    [RootFact]
    public void Rewrite_of_an_edited_drop_in_is_daemon_reloaded_says_what_it_removed_and_owes_no_restart()
    {
        using var node = StartedNode();
        node.Exec("systemctl", "stop", "k0s-node-ip");
        // The operator's version, loaded by systemd.
        node.WriteFile(DropIn, node.ReadFile(DropIn)!.Replace("# Written by k0s-node-ip", "# Edited by hand", StringComparison.Ordinal));
        node.Exec("systemctl", "daemon-reload");

        node.Exec("systemctl", "start", "k0s-node-ip");

        Assert.True(node.WaitForAgentJournal("removed: # Edited by hand: the command line of k0sworker.service"), node.AgentJournal());
        Assert.DoesNotContain("# Edited by hand", node.ReadFile(DropIn), StringComparison.Ordinal);
        Assert.Equal("NeedDaemonReload=no", node.Exec("systemctl", "show", "-p", "NeedDaemonReload", "k0sworker").Stdout.Trim());
        node.Exec("systemctl", "restart", "k0s-node-ip");
        node.AssertNothingMorePending();
        Assert.Equal(2, node.StartsOf("k0sworker").Count);
    }

    [RootFact]
    public void Unit_that_disappears_is_noticed_at_once_said_in_STATUS_and_warned_about_once()
    {
        using var node = StartedNode();

        node.Exec("rm", UnitPath);
        node.Exec("systemctl", "daemon-reload");

        Assert.True(node.WaitForAgentJournal(UnitPath + " does not exist"), node.AgentJournal());
        Assert.True(DaemonProcess.WaitFor(() => node.AgentStatusText().Contains("k0sworker is not installed", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), node.AgentStatusText());
        node.Exec("systemctl", "reload", "k0s-node-ip");
        Assert.True(node.WaitForAgentJournal("k0sworker still absent"), node.AgentJournal());
        Assert.Single(node.AgentWarnings().Split('\n'), l => l.Contains(" does not exist", StringComparison.Ordinal));
        Assert.DoesNotContain("cannot update", node.AgentJournal(), StringComparison.Ordinal);
    }

    [RootFact]
    public void Agent_installed_before_k0s_is_ready_at_once_and_writes_the_drop_in_when_the_unit_appears()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.CopyIn(Packages.Binary, "/usr/bin/k0s-node-ip");
        node.CopyIn(Path.Combine(Packages.RepositoryRoot, "systemd", "k0s-node-ip.service"), "/etc/systemd/system/k0s-node-ip.service");
        node.WriteFile("/etc/systemd/system/k0s-node-ip.service.d/test.conf", "[Service]\nEnvironment=K0SNODEIP_Reload__MinInterval=00:00:00 K0SNODEIP_Watch__Debounce=00:00:00.5\n");
        node.Exec("systemctl", "daemon-reload");
        node.Exec("systemctl", "start", "--no-block", "k0s-node-ip.service");

        Assert.True(DaemonProcess.WaitFor(() => node.TryExec("systemctl", "is-active", "k0s-node-ip").Stdout.Trim() == "active", TimeSpan.FromSeconds(20)), node.AgentJournal());
        Assert.Contains("k0sworker is not installed", node.AgentStatusText(), StringComparison.Ordinal);

        // k0s install worker: the unit appears (not started yet); the drop-in follows before the first start.
        node.WriteFile("/usr/local/bin/stand-in", """
            #!/bin/sh
            { echo "--- start $(date +%s.%N)"; printf '%s\n' "$@"; } >> /var/log/stand-in-k0sworker.log
            exec sleep infinity
            """, (UnixFileMode)0b111_101_101);
        node.WriteFile(UnitPath, $"[Unit]\nDescription=stand-in for k0sworker\n\n[Service]\nExecStart={Worker}\nKillMode=process\n\n[Install]\nWantedBy=multi-user.target\n");
        Assert.True(DaemonProcess.WaitFor(() => node.ReadFile(DropIn)?.Contains("--node-ip=192.0.2.10,2001:db8::10", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(10)), node.AgentJournal());
        node.Exec("systemctl", "daemon-reload");
        node.Exec("systemctl", "start", "k0sworker");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 1, TimeSpan.FromSeconds(10)), node.AgentJournal());
        Assert.Contains(Pair, node.StartsOf("k0sworker")[0]);
    }

    [RootFact]
    public void Operators_restart_colliding_with_the_agents_is_not_logged_as_a_stopped_worker()
    {
        // A worker slow to stop (as k0s is, stopping its components): the operator's restart is in its stop phase for 3 s.
        using var node = StartedNode("ExecStop=/bin/sleep 3");

        node.Exec("systemctl", "restart", "--no-block", "k0sworker");
        node.InNetwork("ip -6 addr add 2001:db8::20/64 dev eth0 nodad && ip -6 addr del 2001:db8::10/64 dev eth0", TimeSpan.FromSeconds(10));

        Assert.True(node.WaitForAgentJournal("-> 192.0.2.10,2001:db8::20 in "), node.AgentJournal());
        var line = node.AgentJournalLines().Last(l => l.Contains("-> 192.0.2.10,2001:db8::20 in ", StringComparison.Ordinal));
        Assert.DoesNotContain("is not running", line, StringComparison.Ordinal);
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Any(s => s.Contains("--kubelet-extra-args=--v=2 --node-ip=192.0.2.10,2001:db8::20")), TimeSpan.FromSeconds(20)), node.AgentJournal());
    }

    /// <summary>A node whose worker is enabled (as k0s install does) and was restarted once by the agent with the dual-stack pair.</summary>
    /// <param name="metrics">Create node_exporter's folder first, so the agent writes its metrics there (the default path).</param>
    private static SystemdNode StartedNode(string? workerExtra = null, bool metrics = false)
    {
        var node = new SystemdNode();
        try
        {
            node.AddDualStackNetwork();
            node.InstallStandIn("k0sworker", Worker, workerExtra);
            node.Exec("systemctl", "enable", "k0sworker.service");
            if (metrics)
            {
                node.Exec("mkdir", "-p", Path.GetDirectoryName(Prom)!);
            }

            node.InstallAgent("K0SNODEIP_Reload__MinInterval=00:00:00", "K0SNODEIP_Watch__Debounce=00:00:00.5");
            Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());
            Assert.Contains(Pair, node.StartsOf("k0sworker")[1]);
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }
}

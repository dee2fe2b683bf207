using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>--once against a real systemd: the stand-in unit is restarted with the new --node-ip, once.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class RealSystemdTests
{
    private const string Expected = "--node-ip=192.0.2.10,2001:db8::10";

    [RootFact]
    public void Once_with_the_k0s_target_restarts_k0s_with_the_node_ip_in_its_kubelet_args_and_a_second_run_restarts_nothing()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.CopyIn(Binary(), "/usr/bin/k0s-node-ip");
        node.InstallStandIn("k0sworker", @"/usr/local/bin/stand-in worker --data-dir=/var/lib/k0s --kubelet-extra-args=--max-pods=250\x20--v=2 --token-file=/etc/k0s/k0stoken");

        node.Exec("/usr/bin/k0s-node-ip", "--once");

        // The restart job is done when the stand-in is forked; its log line follows a moment later.
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(5)));
        var starts = node.StartsOf("k0sworker");
        Assert.Equal(2, starts.Count);
        Assert.Equal(["worker", "--data-dir=/var/lib/k0s", $"--kubelet-extra-args=--max-pods=250 --v=2 {Expected}", "--token-file=/etc/k0s/k0stoken"], starts[1]);

        AssertNothingRestarted(node.Exec("/usr/bin/k0s-node-ip", "--once"));
        Assert.Equal(2, node.StartsOf("k0sworker").Count);
    }

    [RootFact]
    public void Once_with_the_kubeadm_target_restarts_the_kubelet_with_the_merged_environment_and_a_second_run_restarts_nothing()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.CopyIn(Binary(), "/usr/bin/k0s-node-ip");
        node.WriteFile("/etc/default/kubelet", "# kubelet flags of this node\nKUBELET_EXTRA_ARGS=--max-pods=110\n");
        node.InstallStandIn("kubelet", "/usr/local/bin/stand-in $KUBELET_EXTRA_ARGS", extra: "EnvironmentFile=-/etc/default/kubelet");

        node.Exec("/usr/bin/k0s-node-ip", "--once", "--Target:Kind=kubeadm");

        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("kubelet").Count == 2, TimeSpan.FromSeconds(5)));
        var starts = node.StartsOf("kubelet");
        Assert.Equal(2, starts.Count);
        Assert.Equal(["--max-pods=110", Expected], starts[1]);
        Assert.Equal($"# kubelet flags of this node\nKUBELET_EXTRA_ARGS=--max-pods=110 {Expected}\n", node.ReadFile("/etc/default/kubelet"));
        Assert.Equal("# kubelet flags of this node\nKUBELET_EXTRA_ARGS=--max-pods=110\n", node.ReadFile("/etc/default/kubelet.k0s-node-ip.bak"));

        AssertNothingRestarted(node.Exec("/usr/bin/k0s-node-ip", "--once", "--Target:Kind=kubeadm"));
        Assert.Equal(2, node.StartsOf("kubelet").Count);

        // The operator edits another line later (a wall clock may also jump): that owes no restart.
        node.WriteFile("/etc/default/kubelet", node.ReadFile("/etc/default/kubelet") + "# edited by the operator\n");
        AssertNothingRestarted(node.Exec("/usr/bin/k0s-node-ip", "--once", "--Target:Kind=kubeadm"));
        Assert.Equal(2, node.StartsOf("kubelet").Count);
    }

    [RootFact]
    public void Restart_lost_to_a_crash_after_the_write_is_made_up_by_the_next_run()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.CopyIn(Binary(), "/usr/bin/k0s-node-ip");
        node.InstallStandIn("k0sworker", @"/usr/local/bin/stand-in worker --kubelet-extra-args=--v=2");

        // As if the agent died between writing the drop-in and restarting k0s.
        node.Exec("/usr/bin/k0s-node-ip", "--once", "--Reload:Mode=none");
        Assert.Single(node.StartsOf("k0sworker"));

        node.Exec("/usr/bin/k0s-node-ip", "--once");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(5)));
        Assert.Equal($"--kubelet-extra-args=--v=2 {Expected}", node.StartsOf("k0sworker")[1][1]);

        AssertNothingRestarted(node.Exec("/usr/bin/k0s-node-ip", "--once"));
        Assert.Equal(2, node.StartsOf("k0sworker").Count);
    }

    /// <summary>--once waits for any restart it asks for, so its own log is the evidence that it asked for none.</summary>
    private static void AssertNothingRestarted(ProcessRunner.Result once)
    {
        Assert.Contains("unchanged in", once.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing to restart", once.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("restarted", once.Stderr, StringComparison.Ordinal);
    }

    private static string Binary() =>
        Environment.GetEnvironmentVariable("TEST_K0S_NODE_IP_BINARY") is { Length: > 0 } binary
            ? binary
            : throw new InvalidOperationException("TEST_K0S_NODE_IP_BINARY must name the Native AOT binary (the test command sets it)");
}

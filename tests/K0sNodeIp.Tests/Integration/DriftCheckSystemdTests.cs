using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// Under a real systemd with the shipped, hardened unit: a stand-in k0s worker starts a process named kubelet
/// with its --kubelet-extra-args as k0s does; the daemon's metrics (default path) and --check see that kubelet.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class DriftCheckSystemdTests
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [RootFact]
    public void Hardened_daemon_and_check_see_the_kubelet_child_of_the_k0s_worker()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.CopyIn("/bin/bash", "/usr/local/bin/kubelet");

        // "k0s worker": runs kubelet with the words of --kubelet-extra-args, as k0s merges them into kubelet's argv.
        node.WriteFile("/usr/local/bin/k0s", """
            #!/bin/sh
            extra=
            for arg in "$@"; do case "$arg" in --kubelet-extra-args=*) extra=${arg#--kubelet-extra-args=} ;; esac; done
            /usr/local/bin/kubelet -c 'sleep infinity; :' kubelet --config=/var/lib/k0s/kubelet-config.yaml $extra &
            wait
            """, Executable);
        node.WriteFile("/etc/systemd/system/k0sworker.service", """
            [Service]
            ExecStart=/usr/local/bin/k0s worker --kubelet-extra-args=--max-pods=250\x20--node-ip=192.0.2.99 --token-file=/etc/k0s/k0stoken

            [Install]
            WantedBy=multi-user.target
            """);
        node.Exec("systemctl", "daemon-reload");
        node.Exec("systemctl", "start", "k0sworker.service");
        node.Exec("mkdir", "-p", "/var/lib/node_exporter/textfile_collector");
        const string Prom = "/var/lib/node_exporter/textfile_collector/k0s_node_ip.prom";

        // Before the agent: the drop-in does not exist and the kubelet runs with the old address.
        node.CopyIn(Packages.Binary, "/usr/bin/k0s-node-ip");
        var check = node.TryExec("k0s-node-ip", "--check", "--Metrics:TextfilePath=");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("the running kubelet (PID", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("child of k0s, root's, in k0sworker.service) was started with --node-ip=192.0.2.99", check.Stdout, StringComparison.Ordinal);

        node.InstallAgent("K0SNODEIP_Reload__MinInterval=00:00:00", "K0SNODEIP_Watch__Debounce=00:00:00.5");

        // The hardened daemon wrote the default metrics file; after the worker's restart the new kubelet agrees.
        Assert.True(
            DaemonProcess.WaitFor(() => node.ReadFile(Prom) is { } text && text.Contains("\nk0s_node_ip_restarts_total 1\n", StringComparison.Ordinal)
                && text.Contains("\nk0s_node_ip_drift 0\n", StringComparison.Ordinal) && text.Contains("\nk0s_node_ip_kubelet_found 1\n", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30)),
            node.ReadFile(Prom) + node.TryExec("journalctl", "-u", "k0s-node-ip", "--no-pager").Stdout);
        Assert.Contains("k0s_node_ip_info{ipv4=\"192.0.2.10\",ipv6=\"2001:db8::10\",primary_family=\"IPv4\"} 1", node.ReadFile(Prom), StringComparison.Ordinal);

        // --check under the unit's hardening (the same sandbox as the daemon), from a transient unit.
        var hardened = node.TryExec("systemd-run", "--wait", "--pipe", "--quiet", "-p", "ProtectProc=invisible", "-p", "ProtectSystem=strict",
            "-p", "CapabilityBoundingSet=", "-p", "PrivateDevices=yes", "-p", "ProtectHome=yes", "-p", "NoNewPrivileges=yes",
            "/usr/bin/k0s-node-ip", "--check", "--json", "--Metrics:TextfilePath=");
        Assert.True(hardened.ExitCode == 0, hardened.Stdout + hardened.Stderr);
        Assert.Contains("\"kubeletFound\": true", hardened.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"nodeIp\": \"192.0.2.10,2001:db8::10\"", hardened.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"parent\": \"k0s\"", hardened.Stdout, StringComparison.Ordinal);
    }
}

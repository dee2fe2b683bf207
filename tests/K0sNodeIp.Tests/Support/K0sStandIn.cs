namespace K0sNodeIp.Tests.Support;

/// <summary>
/// A stand-in k0s binary and its unit as <c>k0s install</c> writes it: each start is logged (<see cref="Starts"/>), and it
/// runs a process named kubelet with the words of --kubelet-extra-args, as k0s merges them into kubelet's argv.
/// </summary>
public static class K0sStandIn
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static void Install(SystemdNode node)
    {
        node.CopyIn("/bin/bash", "/usr/local/bin/kubelet");
        node.WriteFile("/usr/local/bin/k0s", """
            #!/bin/sh
            { echo "--- start $(date +%s.%N)"; printf '%s\n' "$@"; } >> /var/log/stand-in-k0s.log
            extra=
            for arg in "$@"; do case "$arg" in --kubelet-extra-args=*) extra=${arg#--kubelet-extra-args=} ;; esac; done
            /usr/local/bin/kubelet -c 'sleep infinity; :' kubelet $extra &
            # As k0s does: its kubelet goes with it (KillMode=process leaves children to the main process).
            trap 'kill $!; exit 0' TERM
            wait
            """, Executable);
    }

    /// <summary>A unit as <c>k0s install</c> writes it (kardianos/service's template), with <paramref name="arguments"/> after the binary.</summary>
    public static string Unit(string arguments) => $"""
        [Unit]
        Description=k0s - Zero Friction Kubernetes
        Documentation=https://docs.k0sproject.io
        ConditionFileIsExecutable=/usr/local/bin/k0s

        After=network-online.target
        Wants=network-online.target

        [Service]
        StartLimitInterval=5
        StartLimitBurst=10
        ExecStart=/usr/local/bin/k0s {arguments}

        RestartSec=10
        Delegate=yes
        KillMode=process
        LimitCORE=infinity
        TasksMax=infinity
        TimeoutStartSec=0
        LimitNOFILE=999999
        Restart=always

        [Install]
        WantedBy=multi-user.target
        """;

    /// <summary>The argument lists of each start of the stand-in k0s, oldest first.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Starts(SystemdNode node) => node.StartsOf("k0s");
}

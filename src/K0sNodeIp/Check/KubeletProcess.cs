namespace K0sNodeIp.Check;

/// <summary>A running kubelet as /proc shows it.</summary>
/// <param name="Pid">Its process ID.</param>
/// <param name="NodeIp">The value of the last --node-ip in its argv (the one kubelet's flag parser keeps), or null when it has none.</param>
/// <param name="Parent">The command name (comm) of its parent, e.g. "k0s", or null when unknown.</param>
/// <param name="Why">Why this process is trusted as the kubelet ("root's, in k0sworker.service"), for the output.</param>
internal sealed record KubeletProcess(int Pid, string? NodeIp, string? Parent, string? Why = null);

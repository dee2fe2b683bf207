namespace K0sNodeIp.Check;

/// <summary>What a search of /proc found: the kubelets compared, and why each other process named kubelet was not.</summary>
/// <param name="Compared">Root's kubelets (in the target unit's cgroup, when the unit is known), by PID.</param>
/// <param name="PassedOver">One sentence per process named kubelet that was not compared, naming its PID and the reason.</param>
internal sealed record KubeletSearch(IReadOnlyList<KubeletProcess> Compared, IReadOnlyList<string> PassedOver);

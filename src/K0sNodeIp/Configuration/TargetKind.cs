namespace K0sNodeIp.Configuration;

/// <summary>Where the node IP is written (<c>Target:Kind</c>); the configuration's words are <see cref="TargetKindWords"/>.</summary>
internal enum TargetKind
{
    /// <summary><c>k0s</c>: a drop-in for the k0s unit that merges --node-ip into its --kubelet-extra-args.</summary>
    K0s,

    /// <summary><c>kubeadm</c>: KUBELET_EXTRA_ARGS in the kubelet's environment file.</summary>
    Kubeadm,

    /// <summary><c>file</c>: one templated line in a file of the operator's choice.</summary>
    File,
}


using K0sNodeIp.Formats;
using K0sNodeIp.Node;

namespace K0sNodeIp.Targets;

/// <summary>
/// kubeadm-style kubelet: <c>KUBELET_EXTRA_ARGS</c> in /etc/default/kubelet (Debian family) or
/// /etc/sysconfig/kubelet (RPM family), which 10-kubeadm.conf reads with <c>EnvironmentFile=</c>. Only the
/// --node-ip flag inside that variable changes; every other line, comment and flag stays as it was.
/// </summary>
internal sealed class KubeadmEnvironmentTarget(string path) : INodeIpTarget
{
    public const string Variable = "KUBELET_EXTRA_ARGS";
    public const string DebianPath = "/etc/default/kubelet";
    public const string RedHatPath = "/etc/sysconfig/kubelet";

    public string Path => path;

    public string Description => $"{Variable} in {path}";

    public bool IsUnitDropIn => false;

    public IReadOnlyList<string> WatchedFiles => [];

    /// <summary>Derived from its own content only.</summary>
    public void ReadInputs(ITargetFiles files)
    {
    }

    public string Render(NodeIpPair pair, TargetInputs inputs) =>
        EnvironmentFileEditor.Update(INodeIpTarget.CurrentOf(inputs) ?? string.Empty, Variable, old => KubeletArgs.Merge(old, pair.Flag));

    public string? EffectiveArguments(string? content) =>
        content is null ? null : EnvironmentFileEditor.Read(content, Variable) ?? string.Empty;

    public string? NodeIpOf(string? content) =>
        content is not null && EnvironmentFileEditor.Read(content, Variable) is { } value ? KubeletArgs.NodeIp(value) : null;
}

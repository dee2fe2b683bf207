using K0sNodeIp.Configuration;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Modes;

/// <summary>Builds the configured target (Target:Kind).</summary>
internal static class TargetFactory
{
    /// <param name="recordedPath">A replay's: the file the node wrote, where this machine's own default would be probed.</param>
    public static INodeIpTarget Create(TargetOptions options, string? recordedPath = null) => options.TargetKind switch
    {
        TargetKind.Kubeadm => new KubeadmEnvironmentTarget(options.EnvironmentFile ?? recordedPath ?? KubeadmDefaultPath()),
        TargetKind.File => new TemplateFileTarget(options.Path!, options.Template),
        TargetKind.K0s => new K0sDropInTarget(options.UnitDirectory, options.UnitName, options.DropInName, options.K0sConfig),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.TargetKind, "not a target kind"),
    };

    /// <summary>kubeadm's environment file: the one that exists, else the one of this distribution's family.</summary>
    private static string KubeadmDefaultPath() =>
        File.Exists(KubeadmEnvironmentTarget.DebianPath) ? KubeadmEnvironmentTarget.DebianPath
        : File.Exists(KubeadmEnvironmentTarget.RedHatPath) ? KubeadmEnvironmentTarget.RedHatPath
        : File.Exists("/etc/debian_version") ? KubeadmEnvironmentTarget.DebianPath : KubeadmEnvironmentTarget.RedHatPath;
}

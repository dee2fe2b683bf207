using K0sNodeIp.Configuration;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Modes;

/// <summary>Builds the configured target (Target:Kind).</summary>
internal static class TargetFactory
{
    public static INodeIpTarget Create(TargetOptions options) => options.Kind switch
    {
        "kubeadm" => new KubeadmEnvironmentTarget(options.EnvironmentFile ?? KubeadmEnvironmentTarget.DefaultPath()),
        "file" => new TemplateFileTarget(options.Path!, options.Template),
        _ => new K0sDropInTarget(options.UnitDirectory, options.EffectiveUnit!, options.DropInName, options.K0sConfig),
    };
}

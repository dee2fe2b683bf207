using Microsoft.Extensions.Options;

namespace K0sNodeIp.Configuration;

/// <summary>All settings, one property per configuration section.</summary>
internal sealed class K0sNodeIpOptions
{
    [ValidateObjectMembers]
    public DetectionOptions Detection { get; set; } = new();

    [ValidateObjectMembers]
    public TargetOptions Target { get; set; } = new();

    [ValidateObjectMembers]
    public ReloadOptions Reload { get; set; } = new();

    [ValidateObjectMembers]
    public WatchOptions Watch { get; set; } = new();

    [ValidateObjectMembers]
    public MetricsOptions Metrics { get; set; } = new();
}

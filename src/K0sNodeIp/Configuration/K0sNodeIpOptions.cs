using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace K0sNodeIp.Configuration;

/// <summary>All settings, one property per configuration section.</summary>
public sealed class K0sNodeIpOptions
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

/// <summary>Source-generated validation of the options tree (DataAnnotations and IValidatableObject).</summary>
[OptionsValidator]
public sealed partial class K0sNodeIpOptionsValidator : IValidateOptions<K0sNodeIpOptions>;

/// <summary>A configuration that cannot be used; the program exits with EX_CONFIG (78) before touching anything.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message) : base(message)
    {
    }

    public ConfigurationException()
    {
    }

    public ConfigurationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

using System.ComponentModel.DataAnnotations;

namespace K0sNodeIp.Configuration;

/// <summary>The <c>Target</c> section: where the node IP is written.</summary>
internal sealed class TargetOptions : IValidatableObject
{
    public const string Section = "Target";

    /// <summary>k0s (default), kubeadm or file.</summary>
    public string Kind { get; set; } = "k0s";

    /// <summary>The systemd unit restarted after a change: k0sworker for k0s, kubelet for kubeadm, none for file.</summary>
    public string? Unit { get; set; }

    /// <summary>Where unit files and their drop-in folders live.</summary>
    public string UnitDirectory { get; set; } = "/etc/systemd/system";

    /// <summary>File name of the k0s drop-in inside <c>UNIT.service.d</c>.</summary>
    public string DropInName { get; set; } = "50-k0s-node-ip.conf";

    /// <summary>The k0s config to read spec.network.primaryAddressFamily from; default: the unit's --config, else /etc/k0s/k0s.yaml.</summary>
    public string? K0sConfig { get; set; }

    /// <summary>kubeadm: the kubelet environment file; default /etc/default/kubelet or /etc/sysconfig/kubelet, whichever exists.</summary>
    public string? EnvironmentFile { get; set; }

    /// <summary>file: the path to write.</summary>
    public string? Path { get; set; }

    /// <summary>file: one line with {nodeIpFlag}, {ipv4} and/or {ipv6}.</summary>
    public string Template { get; set; } = "{nodeIpFlag}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var errors = new List<ValidationResult>();
        if (Kind is not ("k0s" or "kubeadm" or "file"))
        {
            errors.Add(Error(nameof(Kind), Kind, "is not a target kind (k0s, kubeadm, file)"));
        }

        if (Unit is not null && (Unit.Length == 0 || Unit.Contains('/', StringComparison.Ordinal) || Unit.Any(char.IsWhiteSpace) || Unit.StartsWith('.')))
        {
            errors.Add(Error(nameof(Unit), Unit, "is not a unit name (no path, no spaces; e.g. k0sworker)"));
        }

        if (DropInName.Contains('/', StringComparison.Ordinal) || !DropInName.EndsWith(".conf", StringComparison.Ordinal))
        {
            errors.Add(Error(nameof(DropInName), DropInName, "must be a file name ending in .conf"));
        }

        CheckAbsolute(nameof(UnitDirectory), UnitDirectory, errors);
        CheckAbsolute(nameof(K0sConfig), K0sConfig, errors);
        CheckAbsolute(nameof(EnvironmentFile), EnvironmentFile, errors);
        CheckAbsolute(nameof(Path), Path, errors);
        if (Kind == "file")
        {
            if (string.IsNullOrEmpty(Path))
            {
                errors.Add(Error(nameof(Path), Path, "is required for Target:Kind=file"));
            }

            if (!Template.Contains("{nodeIpFlag}", StringComparison.Ordinal) && !Template.Contains("{ipv4}", StringComparison.Ordinal)
                && !Template.Contains("{ipv6}", StringComparison.Ordinal))
            {
                errors.Add(Error(nameof(Template), Template, "has no placeholder ({nodeIpFlag}, {ipv4} or {ipv6})"));
            }

            if (Template.Contains('\n', StringComparison.Ordinal))
            {
                errors.Add(Error(nameof(Template), Template, "must be one line"));
            }
        }

        return errors;
    }

    /// <summary>The unit to restart for this kind, or null when there is none.</summary>
    public string? EffectiveUnit => Unit ?? Kind switch
    {
        "k0s" => "k0sworker",
        "kubeadm" => "kubelet",
        _ => null,
    };

    private static void CheckAbsolute(string key, string? value, List<ValidationResult> errors)
    {
        if (value is not null && !System.IO.Path.IsPathFullyQualified(value))
        {
            errors.Add(Error(key, value, "must be an absolute path"));
        }
    }

    private static ValidationResult Error(string key, string? value, string problem) => new($"{Section}:{key}: \"{value}\" {problem}");
}

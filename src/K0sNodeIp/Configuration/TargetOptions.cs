using System.ComponentModel.DataAnnotations;

namespace K0sNodeIp.Configuration;

/// <summary>The <c>Target</c> section: where the node IP is written.</summary>
internal sealed class TargetOptions : IValidatableObject
{
    public const string Section = "Target";

    private string _kind = TargetKind.K0s.Word();
    private TargetKind? _targetKind = TargetKind.K0s;

    /// <summary>k0s (default), kubeadm or file: the word as configured; <see cref="TargetKind"/> is what it means.</summary>
    public string Kind
    {
        get => _kind;
        set
        {
            _kind = value;
            _targetKind = TargetKindWords.Parse(value);
        }
    }

    /// <summary><see cref="Kind"/>, parsed when it was set.</summary>
    /// <exception cref="InvalidOperationException">Kind names no target: the options were not validated.</exception>
    public TargetKind TargetKind => _targetKind
        ?? throw new InvalidOperationException($"{Section}:{nameof(Kind)} \"{Kind}\" is not a target kind: the options were not validated");

    /// <summary>
    /// The systemd unit restarted after a change, as configured (<c>NAME</c> or <c>NAME.service</c>): for k0s by default the
    /// k0s unit that runs a kubelet on this node, kubelet for kubeadm, none for file.
    /// </summary>
    public string? Unit { get; set; }

    /// <summary><see cref="Unit"/> without its <c>.service</c> suffix: <c>k0sworker</c> and <c>k0sworker.service</c> are one unit.</summary>
    public string? UnitName => Unit is { } unit ? Node.ServiceUnitName.Stem(unit) : null;

    private const string ServiceSuffix = Node.ServiceUnitName.Suffix;

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
        if (_targetKind is null)
        {
            errors.Add(Error(nameof(Kind), Kind, $"is not a target kind ({string.Join(", ", TargetKindWords.All)})"));
        }

        if (Unit is not null && WhyNotAServiceName(UnitName!) is { } why)
        {
            errors.Add(Error(nameof(Unit), Unit, $"is not a service unit name: {why} (e.g. k0sworker or k0sworker.service)"));
        }

        if (DropInName.Contains('/', StringComparison.Ordinal) || !DropInName.EndsWith(".conf", StringComparison.Ordinal))
        {
            errors.Add(Error(nameof(DropInName), DropInName, "must be a file name ending in .conf"));
        }

        CheckAbsolute(nameof(UnitDirectory), UnitDirectory, errors);
        CheckAbsolute(nameof(K0sConfig), K0sConfig, errors);
        CheckAbsolute(nameof(EnvironmentFile), EnvironmentFile, errors);
        CheckAbsolute(nameof(Path), Path, errors);
        if (_targetKind == TargetKind.File)
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

    /// <summary>
    /// The unit to restart for this kind, without its suffix; null when there is none, or for k0s when the node decides
    /// (the k0s unit that runs a kubelet).
    /// </summary>
    public string? EffectiveUnit => UnitName ?? _targetKind switch
    {
        TargetKind.Kubeadm => "kubelet",
        _ => null,
    };

    /// <summary>
    /// Why <paramref name="name"/> (the suffix taken off) names no service unit, or null: systemd's unit name characters
    /// (<c>unit_name_is_valid</c>: ASCII letters, digits, <c>:-_.\@</c>), at most 255 bytes with the suffix, not another
    /// unit type's suffix, and a template only with its instance.
    /// </summary>
    internal static string? WhyNotAServiceName(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (name.Length + ServiceSuffix.Length > 255)
        {
            return "it is longer than 255 characters";
        }

        if (name.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '_' or '.' or '\\' or '@')) is var bad && bad != default)
        {
            return $"'{bad}' is not allowed in a unit name (no path, no spaces)";
        }

        if (name.StartsWith('.') || name.StartsWith('@'))
        {
            return "it starts with '.' or '@'";
        }

        if (OtherUnitTypes.FirstOrDefault(suffix => name.EndsWith(suffix, StringComparison.Ordinal)) is { } other)
        {
            return $"a {other[1..]} unit, not a service";
        }

        return name.EndsWith('@') ? "a template without an instance (NAME@INSTANCE)" : null;
    }

    private static readonly string[] OtherUnitTypes = [".socket", ".target", ".timer", ".mount", ".automount", ".swap", ".path", ".slice", ".scope", ".device"];

    private static void CheckAbsolute(string key, string? value, List<ValidationResult> errors)
    {
        if (value is not null && !System.IO.Path.IsPathFullyQualified(value))
        {
            errors.Add(Error(key, value, "must be an absolute path"));
        }
    }

    private static ValidationResult Error(string key, string? value, string problem) => new($"{Section}:{key}: \"{value}\" {problem}");
}

using System.ComponentModel.DataAnnotations;

namespace K0sNodeIp.Configuration;

/// <summary>The <c>Metrics</c> section: the Prometheus text file for node_exporter's textfile collector.</summary>
internal sealed class MetricsOptions : IValidatableObject
{
    public const string Section = "Metrics";

    /// <summary>
    /// node_exporter's usual textfile collector folders, the first that exists taken: the one of upstream's and the
    /// RPM family's packaging and of the common Ansible roles, then Debian's and Ubuntu's prometheus-node-exporter.
    /// The packaged unit may write both (ReadWritePaths=).
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultDirectories = ["/var/lib/node_exporter/textfile_collector", "/var/lib/prometheus/node-exporter"];

    public const string DefaultFileName = "k0s_node_ip.prom";

    /// <summary>
    /// The .prom file written after each reconcile. Unset: k0s_node_ip.prom in the first of
    /// <see cref="DefaultDirectories"/> that exists, otherwise no metrics. Empty: no metrics.
    /// </summary>
    public string? TextfilePath { get; set; }

    /// <summary>The file to write, or null when metrics are off.</summary>
    public string? EffectiveTextfilePath(Func<string, bool>? directoryExists = null) => TextfilePath switch
    {
        null => DefaultDirectories.FirstOrDefault(directoryExists ?? Directory.Exists) is { } directory ? Path.Combine(directory, DefaultFileName) : null,
        "" => null,
        var path => path,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(TextfilePath))
        {
            if (!Path.IsPathFullyQualified(TextfilePath))
            {
                yield return new ValidationResult($"{Section}:{nameof(TextfilePath)}: \"{TextfilePath}\" must be an absolute path");
            }
            else if (!TextfilePath.EndsWith(".prom", StringComparison.Ordinal) || TextfilePath.EndsWith('/'))
            {
                // node_exporter's textfile collector reads only *.prom files.
                yield return new ValidationResult($"{Section}:{nameof(TextfilePath)}: \"{TextfilePath}\" must name a file ending in .prom (node_exporter reads only those)");
            }
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace K0sNodeIp.Configuration;

/// <summary>The <c>Metrics</c> section: the Prometheus text file for node_exporter's textfile collector.</summary>
internal sealed class MetricsOptions : IValidatableObject
{
    public const string Section = "Metrics";

    /// <summary>node_exporter's usual textfile collector folder (Debian's prometheus-node-exporter uses it).</summary>
    public const string DefaultDirectory = "/var/lib/node_exporter/textfile_collector";

    public const string DefaultFileName = "k0s_node_ip.prom";

    /// <summary>
    /// The .prom file written after each reconcile. Unset: <see cref="DefaultDirectory"/>/k0s_node_ip.prom when that
    /// folder exists, otherwise no metrics. Empty: no metrics.
    /// </summary>
    public string? TextfilePath { get; set; }

    /// <summary>The file to write, or null when metrics are off.</summary>
    public string? EffectiveTextfilePath(Func<string, bool>? directoryExists = null) => TextfilePath switch
    {
        null => (directoryExists ?? Directory.Exists)(DefaultDirectory) ? Path.Combine(DefaultDirectory, DefaultFileName) : null,
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

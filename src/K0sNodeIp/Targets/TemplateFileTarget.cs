
using K0sNodeIp.Formats;
using K0sNodeIp.Node;

namespace K0sNodeIp.Targets;

/// <summary>Any other consumer: one line from a template with {nodeIpFlag}, {ipv4} and {ipv6}.</summary>
internal sealed class TemplateFileTarget(string path, string template) : INodeIpTarget
{
    public string Path => path;

    public string Description => $"file {path}";

    public bool IsUnitDropIn => UnitDropIns.IsDropIn(path);

    public IReadOnlyList<string> WatchedFiles => [];

    /// <summary>Derived from the template alone.</summary>
    public void ReadInputs(ITargetFiles files)
    {
    }

    public string Render(NodeIpPair pair, TargetInputs inputs) =>
        template
            .Replace("{nodeIpFlag}", pair.Flag, StringComparison.Ordinal)
            .Replace("{ipv4}", pair.Ipv4?.ToString() ?? string.Empty, StringComparison.Ordinal)
            .Replace("{ipv6}", pair.Ipv6?.ToString() ?? string.Empty, StringComparison.Ordinal) + "\n";

    /// <summary>The whole file is what its reader gets; only a missing final newline is cosmetic.</summary>
    public string? EffectiveArguments(string? content) => content?.TrimEnd('\n');

    public string? NodeIpOf(string? content) => content is null ? null : KubeletArgs.NodeIp(content);
}

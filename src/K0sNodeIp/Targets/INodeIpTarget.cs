
using K0sNodeIp.Node;

namespace K0sNodeIp.Targets;

/// <summary>A file that carries kubelet's --node-ip: renders the new content from the old, and reads the pair back.</summary>
internal interface INodeIpTarget
{
    /// <summary>The file written.</summary>
    string Path { get; }

    /// <summary>Short description for logs, e.g. "k0s drop-in for k0sworker.service".</summary>
    string Description { get; }

    /// <summary>True when the file is a unit drop-in, so systemd needs daemon-reload before a restart.</summary>
    bool IsUnitDropIn { get; }

    /// <summary>The family to list first when the operator did not set one (k0s's own rule for the k0s target).</summary>
    PrimaryFamilyChoice DefaultPrimaryFamily();

    /// <summary>The files <see cref="DefaultPrimaryFamily"/> reads (the k0s config), for --snapshot.</summary>
    IReadOnlyList<string> PrimaryFamilyFiles();

    /// <summary>The full new content for <paramref name="pair"/>, given what is on disk now.</summary>
    /// <exception cref="TargetException">The inputs cannot be merged safely.</exception>
    string Render(NodeIpPair pair, string? current);

    /// <summary>Files the content is derived from: when one changes, the target must be rendered again.</summary>
    IReadOnlyList<string> WatchedFiles { get; }

    /// <summary>The --node-ip value the content carries, or null.</summary>
    string? NodeIpOf(string? content);

    /// <summary>
    /// What k0s or the kubelet actually receives from the content (the effective ExecStart words, the
    /// KUBELET_EXTRA_ARGS value, the template's text); null when it cannot be read. Two contents with the same
    /// effective arguments differ only cosmetically (a reworded comment) and need no restart.
    /// </summary>
    string? EffectiveArguments(string? content);
}

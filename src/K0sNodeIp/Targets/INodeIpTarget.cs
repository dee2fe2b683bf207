using K0sNodeIp.Formats;
using K0sNodeIp.Node;

namespace K0sNodeIp.Targets;

/// <summary>
/// A file that carries kubelet's --node-ip. Pure: it names what it is derived from (<see cref="ReadInputs"/>, answered by
/// the read stage), and renders the new content and reads the pair back from those inputs, never from the disk.
/// </summary>
internal interface INodeIpTarget
{
    /// <summary>The file written.</summary>
    string Path { get; }

    /// <summary>Short description for logs, e.g. "k0s drop-in for k0sworker.service".</summary>
    string Description { get; }

    /// <summary>True when the file is a unit drop-in, so systemd needs daemon-reload before a restart.</summary>
    bool IsUnitDropIn { get; }

    /// <summary>The unit the file feeds, when the target itself knows it (the k0s unit it chose); null: the configured one.</summary>
    string? Unit => null;

    /// <summary>Restarting <see cref="Unit"/> restarts this node's control plane too (a k0s controller that runs the worker).</summary>
    bool RestartsControlPlane => false;

    /// <summary>Units whose first start the shipped guard may hold until this target's file is written for them (the k0s units); none by default.</summary>
    IReadOnlyList<string> FirstStartUnits => [];

    /// <summary>
    /// Files this target wrote before and no longer writes (the drop-in of a k0s unit no longer chosen, or of one that runs
    /// no kubelet): removed when they are still the agent's own (<see cref="WrittenByAgent"/>); none by default.
    /// </summary>
    IReadOnlyList<string> StaleOwnFiles => [];

    /// <summary>True when <paramref name="content"/> is a file this target writes (its own mark), not an operator's.</summary>
    bool WrittenByAgent(string content) => false;

    /// <summary>The read stage's first step, before <see cref="Path"/> is read: a target that chooses its file from the node does so here.</summary>
    void Locate(ITargetFiles files)
    {
    }

    /// <summary>Files whose change may change the content (or which file it is): when one changes, the target must be read again.</summary>
    IReadOnlyList<string> WatchedFiles { get; }

    /// <summary>The files the content is derived from now (the chosen k0s unit's file, not the other one watched); by default <see cref="WatchedFiles"/>.</summary>
    IReadOnlyList<string> SourceFiles => WatchedFiles;

    /// <summary>Asks for every file besides <see cref="Path"/> that the methods below use (the unit, the k0s config, later drop-ins).</summary>
    void ReadInputs(ITargetFiles files);

    /// <summary>The family to list first when the operator did not set one (k0s's own rule for the k0s target).</summary>
    /// <exception cref="TargetException">The rule's input cannot be read (a bad k0s config).</exception>
    PrimaryFamilyChoice DefaultPrimaryFamily(TargetInputs inputs) => PrimaryFamilyChoice.Default;

    /// <summary>The files <see cref="DefaultPrimaryFamily"/> reads (the k0s config), for --snapshot.</summary>
    IReadOnlyList<string> PrimaryFamilyFiles(TargetInputs inputs) => [];

    /// <summary>The full new content for <paramref name="pair"/>, from the inputs (the content there now among them).</summary>
    /// <exception cref="TargetException">The inputs cannot be merged safely.</exception>
    string Render(NodeIpPair pair, TargetInputs inputs);

    /// <summary>The --node-ip value the content carries, or null.</summary>
    string? NodeIpOf(string? content);

    /// <summary>
    /// What k0s or the kubelet actually receives from the content (the effective ExecStart words, the
    /// KUBELET_EXTRA_ARGS value, the template's text); null when it cannot be read. Two contents with the same
    /// effective arguments differ only cosmetically (a reworded comment) and need no restart.
    /// </summary>
    string? EffectiveArguments(string? content);

    /// <summary>
    /// The families a start should wait for before the first write: those the content already carries (the pair of the
    /// last boot). The k0s target adds those its config asks for (<c>spec.network.dualStack.enabled</c>).
    /// </summary>
    IReadOnlySet<IpFamily> ExpectedFamilies(TargetInputs inputs) => FamiliesIn(NodeIpOf(inputs.Current));

    /// <summary>Lines of the content the agent does not write (an operator's hand edit of its file): kept by <see cref="Render"/>, warned about.</summary>
    IReadOnlyList<string> ForeignLines(string? current) => [];

    /// <summary>Where such lines belong instead (a file of the operator's own), or null.</summary>
    string? LocalDropInPath => null;

    /// <summary>A file that replaces what this target sets (a later unit drop-in setting ExecStart=), or null.</summary>
    string? ExecStartOverriddenBy(TargetInputs inputs) => null;

    /// <summary>Addresses the target's own config names as floating virtual IPs (k0s's CPLB); none by default.</summary>
    IReadOnlyList<VirtualIp> VirtualIps(TargetInputs inputs) => [];

    /// <summary>What the target holds now, for the keep rule and the virtual-IP exclusion: the pair its content carries.</summary>
    TargetState StateOf(TargetInputs inputs) => new(NodeIpPair.Parse(NodeIpOf(inputs.Current)), VirtualIps(inputs)) { Inputs = inputs };

    /// <summary>The content there now, for a render or a write.</summary>
    /// <exception cref="TargetException">The file cannot be read or replaced (a symlink, a folder, no permission).</exception>
    static string? CurrentOf(TargetInputs inputs) =>
        inputs.CurrentError is { } error ? throw new TargetException(error) : inputs.Current;

    /// <summary>The families of a --node-ip value ("a,b"); none when it is absent or not a pair.</summary>
    static IReadOnlySet<IpFamily> FamiliesIn(string? nodeIp)
    {
        var pair = NodeIpPair.Parse(nodeIp);
        var families = new HashSet<IpFamily>();
        if (pair?.Ipv4 is not null)
        {
            families.Add(IpFamily.IPv4);
        }

        if (pair?.Ipv6 is not null)
        {
            families.Add(IpFamily.IPv6);
        }

        return families;
    }
}

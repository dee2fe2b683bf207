namespace K0sNodeIp.Node;

/// <summary>
/// What the target holds now, read with the rest of the node: the pair it carries (the keep rule starts from it, so
/// it holds across agent restarts and boots) and the virtual IPs its own config reserves (never a node IP).
/// </summary>
/// <param name="Held">The --node-ip the target carries now; null when it carries none.</param>
/// <param name="VirtualIps">Addresses the target's config names as load-balanced virtual IPs (k0s's CPLB).</param>
internal sealed record TargetState(NodeIpPair? Held, IReadOnlyList<VirtualIp> VirtualIps)
{
    public static TargetState None { get; } = new(null, []);

    /// <summary>The files the target is derived from, read with the rest of the node; rendering uses them, not the disk.</summary>
    public TargetInputs Inputs { get; init; } = TargetInputs.None;
}

using K0sNodeIp.Node;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Check;

/// <summary>
/// Compares a detected pair with what the target holds (from the inputs the pipeline read, never a read of its own) and
/// the running kubelets. Writes nothing.
/// </summary>
internal sealed class DriftCheck(INodeIpTarget target, KubeletProcessFinder finder)
{
    /// <param name="inputs">The target's inputs as last read or written; null when none were read yet (a detection that failed first).</param>
    /// <param name="whyNoPair">Why there is no pair, when it is not that detection found no address (it failed, the target's rule could not be read).</param>
    public DriftReport Compare(NodeIpPair? detected, TargetInputs? inputs, string? whyNoPair = null)
    {
        var search = finder.Search();
        var reading = inputs is null ? TargetReading.Unreadable(target.Path, "not read yet: detection failed before reading it") : ReadTarget(inputs);
        return DriftComparison.Compare(detected is { IsEmpty: false } ? detected.Value : null, reading, search.Compared, search.PassedOver, whyNoPair);
    }

    public TargetReading ReadTarget(TargetInputs inputs)
    {
        // The k0s target derives its drop-in from the unit: with no unit there is nothing to compare, not a drift.
        if (target.SourceFiles.FirstOrDefault(f => inputs.Text(f) is null && !inputs.Errors.ContainsKey(f)) is { } missing)
        {
            return TargetReading.Unreadable(target.Path, $"it is derived from {missing}, which does not exist (is the unit installed?)")
                with { Exists = inputs.Current is not null || inputs.CurrentError is not null };
        }

        if (inputs.CurrentError is { } error)
        {
            return TargetReading.Unreadable(target.Path, error);
        }

        var current = inputs.Current;
        return new TargetReading(target.Path, true, target.NodeIpOf(current), Exists: current is not null, ExecStartOverriddenBy: current is null ? null : target.ExecStartOverriddenBy(inputs));
    }
}

using K0sNodeIp.Node;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Check;

/// <summary>Reads the target file and the running kubelets, and compares them with a detected pair. Writes nothing.</summary>
internal sealed class DriftCheck(INodeIpTarget target, KubeletProcessFinder finder)
{
    public DriftReport Compare(NodeIpPair? detected)
    {
        var search = finder.Search();
        return DriftComparison.Compare(detected is { IsEmpty: false } ? detected.Value : null, ReadTarget(), search.Compared, search.PassedOver);
    }

    public TargetReading ReadTarget()
    {
        // The k0s target derives its drop-in from the unit: with no unit there is nothing to compare, not a drift.
        var inputs = TargetFileReader.Read(target).Inputs;
        if (target.WatchedFiles.FirstOrDefault(f => inputs.Text(f) is null && !inputs.Errors.ContainsKey(f)) is { } missing)
        {
            return TargetReading.Unreadable(target.Path, $"{missing} does not exist (is the unit installed?), so {target.Path} cannot be derived") with { Exists = File.Exists(target.Path) };
        }

        if (inputs.CurrentError is { } error)
        {
            return TargetReading.Unreadable(target.Path, error);
        }

        var current = inputs.Current;
        return new TargetReading(target.Path, true, target.NodeIpOf(current), Exists: current is not null, ExecStartOverriddenBy: current is null ? null : target.ExecStartOverriddenBy(inputs));
    }
}

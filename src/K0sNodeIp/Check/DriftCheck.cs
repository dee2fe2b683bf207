using K0sNodeIp.Apply;
using K0sNodeIp.Formats;
using K0sNodeIp.Node;
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
        if (target.WatchedFiles.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            return TargetReading.Unreadable(target.Path, $"{missing} does not exist (is the unit installed?), so {target.Path} cannot be derived") with { Exists = File.Exists(target.Path) };
        }

        try
        {
            var current = AtomicFileWriter.ReadCurrent(target.Path);
            return new TargetReading(target.Path, true, target.NodeIpOf(current), Exists: current is not null, ExecStartOverriddenBy: OverriddenBy());
        }
        catch (TargetException e)
        {
            return TargetReading.Unreadable(target.Path, e.Message);
        }
    }

    /// <summary>The drop-in that wins over the target's ExecStart=; a drop-in folder the check cannot list says nothing.</summary>
    private string? OverriddenBy()
    {
        try
        {
            return target.ExecStartOverriddenBy();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

using K0sNodeIp.Targets;
using K0sNodeIp.Node;

namespace K0sNodeIp.Check;

/// <summary>Reads the target file and the running kubelets, and compares them with a detected pair. Writes nothing.</summary>
internal sealed class DriftCheck(INodeIpTarget target, KubeletProcessFinder finder)
{
    public DriftReport Compare(NodeIpPair? detected) =>
        DriftComparison.Compare(detected is { IsEmpty: false } ? detected.Value : null, ReadTarget(), finder.Find());

    public TargetReading ReadTarget()
    {
        try
        {
            return new TargetReading(target.Path, true, target.NodeIpOf(AtomicFileWriter.ReadCurrent(target.Path)), ExecStartOverriddenBy: OverriddenBy());
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

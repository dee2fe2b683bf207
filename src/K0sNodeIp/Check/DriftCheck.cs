using K0sNodeIp.Targets;
using K0sNodeIp.Node;

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
        try
        {
            return new TargetReading(target.Path, true, target.NodeIpOf(AtomicFileWriter.ReadCurrent(target.Path)));
        }
        catch (TargetException e)
        {
            return TargetReading.Unreadable(target.Path, e.Message);
        }
    }
}

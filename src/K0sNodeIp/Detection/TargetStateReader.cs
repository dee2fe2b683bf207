using K0sNodeIp.Apply;
using K0sNodeIp.Formats;
using K0sNodeIp.Node;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Detection;

/// <summary>Reads what a target holds now into the node's <see cref="TargetState"/>; never throws.</summary>
internal static class TargetStateReader
{
    public static TargetState Read(INodeIpTarget target)
    {
        NodeIpPair? held;
        try
        {
            held = NodeIpPair.Parse(target.NodeIpOf(AtomicFileWriter.ReadCurrent(target.Path)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TargetException)
        {
            // A target that cannot be read holds nothing to keep; the write reports the error.
            held = null;
        }

        return new TargetState(held, target.VirtualIps());
    }
}

using K0sNodeIp.Node;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Tests.Support;

/// <summary>A target over the files of a test's folder, read as the pipeline's read stage reads them.</summary>
internal static class TargetsOnDisk
{
    /// <summary>The inputs on disk now, with <paramref name="current"/> standing for the target file's content.</summary>
    public static TargetInputs InputsWith(this INodeIpTarget target, string? current) =>
        TargetFileReader.Read(target).Inputs with { Current = current, CurrentError = null };

    /// <summary>The inputs on disk now, the target file's own content included.</summary>
    public static TargetInputs InputsOnDisk(this INodeIpTarget target) => TargetFileReader.Read(target).Inputs;

    /// <summary><see cref="INodeIpTarget.Render"/> over the files on disk, with <paramref name="current"/> as the target file's content.</summary>
    public static string RenderOver(this INodeIpTarget target, NodeIpPair pair, string? current) => target.Render(pair, target.InputsWith(current));
}

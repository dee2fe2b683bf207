using K0sNodeIp.Apply;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Tests.Support;

/// <summary>A file read and replaced as the pipeline does it: the read stage's read (never through a symlink), then <see cref="AtomicFileWriter.Write"/> when the content differs.</summary>
internal static class PipelineWrites
{
    /// <returns>True when the file was written; false when it already held <paramref name="content"/>.</returns>
    public static bool WriteIfChanged(string path, string content, bool createDirectory = false)
    {
        var inputs = TargetFileReader.Read(new TemplateFileTarget(path, string.Empty)).Inputs;
        var current = INodeIpTarget.CurrentOf(inputs);
        if (current == content)
        {
            return false;
        }

        AtomicFileWriter.Write(path, content, current, createDirectory, inputs.CurrentStamp);
        return true;
    }

    /// <summary>What is at <paramref name="path"/> now, or null; a symlink or a folder is a TargetException, as for the pipeline.</summary>
    public static string? ReadCurrent(string path) => INodeIpTarget.CurrentOf(TargetFileReader.Read(new TemplateFileTarget(path, string.Empty)).Inputs);
}

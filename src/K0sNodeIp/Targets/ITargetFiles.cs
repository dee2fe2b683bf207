namespace K0sNodeIp.Targets;

/// <summary>
/// The read stage's files, as a target asks for them in <see cref="INodeIpTarget.ReadInputs"/>: every answer is kept in
/// the node's <see cref="Node.TargetInputs"/>, from which the target then renders without touching the disk.
/// </summary>
internal interface ITargetFiles
{
    /// <summary>A file's text; null when it is absent or cannot be read (the reason is kept with the inputs).</summary>
    string? Text(string path);

    /// <summary>The names of the *.conf files in <paramref name="directory"/>; none when it does not exist.</summary>
    IReadOnlyList<string> ConfNames(string directory);
}

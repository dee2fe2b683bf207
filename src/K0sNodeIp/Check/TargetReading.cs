namespace K0sNodeIp.Check;

/// <summary>What the target file holds: its --node-ip (null when it has none or does not exist), or why it could not be read.</summary>
internal sealed record TargetReading(string Path, bool Readable, string? NodeIp, string? Error = null)
{
    public static TargetReading Unreadable(string path, string error) => new(path, false, null, error);
}

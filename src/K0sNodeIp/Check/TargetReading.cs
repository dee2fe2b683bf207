namespace K0sNodeIp.Check;

/// <summary>What the target file holds: its --node-ip (null when it has none or does not exist), or why it could not be read.</summary>
/// <param name="Exists">Whether the file is there: a missing file is readable (nothing written yet) but holds nothing.</param>
/// <param name="ExecStartOverriddenBy">A later unit drop-in that sets ExecStart= and so wins over the target's (systemd's merge order), or null.</param>
internal sealed record TargetReading(string Path, bool Readable, string? NodeIp, string? Error = null, bool Exists = true, string? ExecStartOverriddenBy = null)
{
    public static TargetReading Unreadable(string path, string error) => new(path, false, null, error);
}

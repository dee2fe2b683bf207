namespace K0sNodeIp.Sources;

/// <summary>Line handling shared by the resolver's configuration files (/etc/hosts, /etc/nsswitch.conf).</summary>
internal static class ConfigText
{
    /// <summary>The line without its <c>#</c> comment.</summary>
    public static string WithoutComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return hash >= 0 ? line[..hash] : line;
    }
}

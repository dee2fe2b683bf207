namespace K0sNodeIp.Sources;

/// <summary>The files the hostname lookup reads, whose edits netlink never reports.</summary>
internal static class ResolverFilePaths
{
    public const string NsSwitch = "/etc/nsswitch.conf";

    /// <summary>
    /// /etc/hosts, /etc/resolv.conf and /etc/nsswitch.conf, and the file /etc/resolv.conf links to (systemd-resolved's
    /// stub file): tools replace these by rename, so their folders are what is watched.
    /// </summary>
    public static IReadOnlyList<string> Watched()
    {
        var files = new List<string> { HostsFile.DefaultPath, ResolvConf.DefaultPath, NsSwitch };
        try
        {
            if (File.ResolveLinkTarget(ResolvConf.DefaultPath, returnFinalTarget: true) is { } target)
            {
                files.Add(target.FullName);
            }
        }
        catch (IOException)
        {
            // A dangling or looping link: the lookup falls back as Go's does; the link itself is still watched.
        }

        return files;
    }
}

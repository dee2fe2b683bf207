namespace K0sNodeIp.Native;

/// <summary>The one rule for a file the agent replaces: never through a symlink, never a folder.</summary>
internal static class ReplaceableFile
{
    /// <summary>Why <paramref name="path"/> must not be replaced ("it is a symlink (to X)", "it is a folder"); null when it may.</summary>
    public static string? WhyNot(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return $"it is a symlink (to {info.LinkTarget})";
        }

        return Directory.Exists(path) ? "it is a folder" : null;
    }
}

namespace K0sNodeIp.Sources;

/// <summary>The kernel's random ID of this boot (proc(5): <c>/proc/sys/kernel/random/boot_id</c>), to tell an agent restart from a reboot.</summary>
internal static class BootId
{
    public const string DefaultPath = "/proc/sys/kernel/random/boot_id";

    /// <summary>This boot's ID; empty when it cannot be read (then no earlier record is ever taken as this boot's).</summary>
    public static string Read(string path = DefaultPath)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}

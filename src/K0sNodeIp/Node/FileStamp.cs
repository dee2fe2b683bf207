namespace K0sNodeIp.Node;

/// <summary>
/// Which version of a file this is, from statx(2) alone (no read): inode, size, modification and change times to the
/// nanosecond. A rename over it (a new inode) changes it, and so does a write in place, except one within the same tick
/// of the kernel's coarse file clock (a few milliseconds) as the stamp was taken.
/// </summary>
internal readonly record struct FileStamp(ulong Inode, ulong Size, long ModifiedSeconds, uint ModifiedNanoseconds, long ChangedSeconds, uint ChangedNanoseconds)
{
    /// <summary>No file there.</summary>
    public static FileStamp Absent => default;
}

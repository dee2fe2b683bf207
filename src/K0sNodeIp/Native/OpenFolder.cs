namespace K0sNodeIp.Native;

/// <summary>
/// A folder opened once (<c>O_DIRECTORY|O_NOFOLLOW</c>) and written relative to its descriptor: the file is created
/// exclusively inside it, given its owner and mode on its own descriptor, and renamed within it, so a user who can write
/// the folder cannot swap a name for a symlink between two calls and have root chmod, chown or write something else.
/// </summary>
internal sealed class OpenFolder : IDisposable
{
    private readonly FileDescriptorHandle _handle;

    private OpenFolder(string path, FileDescriptorHandle handle, FileStatus status)
    {
        Path = path;
        _handle = handle;
        Status = status;
    }

    public string Path { get; }

    /// <summary>The folder's owner and mode, of the folder actually opened.</summary>
    public FileStatus Status { get; }

    /// <summary>
    /// True when someone other than root may replace or rename entries in it: not root's, or group- or world-writable
    /// without the sticky bit (in root's sticky folder, /tmp, others may add names but not move or remove root's files).
    /// </summary>
    public bool OthersMayWrite => Status.Uid != 0 || ((Status.Mode & 0x200) == 0 && ((Status.Mode & 0x2) != 0 || ((Status.Mode & 0x10) != 0 && Status.Gid != 0)));

    /// <exception cref="NativeErrorException">It cannot be opened as a folder (absent, a symlink, not a folder).</exception>
    public static OpenFolder Open(string path)
    {
        var fd = Libc.open(path, Libc.ORdonly | Libc.ODirectory | Libc.ONofollow | Libc.OCloexec);
        if (fd < 0)
        {
            throw NativeErrorException.FromLastError($"open({path})");
        }

        var handle = new FileDescriptorHandle(fd);
        try
        {
            return new OpenFolder(path, handle, Libc.Fstat(fd, path));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The entry <paramref name="name"/> itself (never through a symlink), or null when there is none.</summary>
    public FileStatus? StatusOf(string name) => Libc.StatAt(_handle.Fd, name, Name(name));

    /// <summary>Creates <paramref name="name"/> (it must not exist: O_EXCL, and O_NOFOLLOW), owner-only until its owner and mode are set on its descriptor, and writes <paramref name="bytes"/> to disk.</summary>
    public unsafe void CreateExclusive(string name, ReadOnlySpan<byte> bytes, uint? uid, uint? gid, UnixFileMode mode)
    {
        var fd = Libc.OpenAt(_handle.Fd, name, Libc.OWronly | Libc.OCreat | Libc.OExcl | Libc.ONofollow | Libc.OCloexec, 0x180);
        if (fd < 0)
        {
            throw NativeErrorException.FromLastError($"openat({Name(name)})");
        }

        using var file = new FileDescriptorHandle(fd);
        fixed (byte* start = bytes)
        {
            var written = 0;
            while (written < bytes.Length)
            {
                var n = Libc.write(fd, start + written, bytes.Length - written);
                if (n < 0)
                {
                    if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Libc.Eintr)
                    {
                        continue;
                    }

                    throw NativeErrorException.FromLastError($"write({Name(name)})");
                }

                written += (int)n;
            }
        }

        if (Libc.fsync(fd) != 0)
        {
            throw NativeErrorException.FromLastError($"fsync({Name(name)})");
        }

        // Only when the owner differs from the new file's own: the unit's sandbox filters chown (@privileged) and holds
        // no CAP_CHOWN, and root replacing root's file needs none.
        if (uid is { } owner && gid is { } group && Libc.Fstat(fd, Name(name)) is var created && (created.Uid, created.Gid) != (owner, group)
            && Libc.fchown(fd, owner, group) != 0)
        {
            throw NativeErrorException.FromLastError($"fchown({Name(name)}, {owner}:{group})");
        }

        // After fchown, which clears setuid and setgid; the umask does not narrow an fchmod.
        if (Libc.fchmod(fd, (uint)mode) != 0)
        {
            throw NativeErrorException.FromLastError($"fchmod({Name(name)})");
        }
    }

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/>, both inside this folder.</summary>
    public void Rename(string from, string to)
    {
        if (Libc.RenameAt(_handle.Fd, from, _handle.Fd, to) != 0)
        {
            throw NativeErrorException.FromLastError($"renameat({Name(from)}, {Name(to)})");
        }
    }

    /// <summary>Removes the entry <paramref name="name"/> (a symlink itself, never its target); nothing when it is gone already.</summary>
    public void Unlink(string name)
    {
        if (Libc.UnlinkAt(_handle.Fd, name, 0) != 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Libc.Enoent)
        {
            throw NativeErrorException.FromLastError($"unlinkat({Name(name)})");
        }
    }

    /// <summary>Makes the folder's entries (a rename) durable.</summary>
    public void Sync()
    {
        if (Libc.fsync(_handle.Fd) != 0)
        {
            throw NativeErrorException.FromLastError($"fsync({Path})");
        }
    }

    public void Dispose() => _handle.Dispose();

    private string Name(string name) => System.IO.Path.Combine(Path, name);
}

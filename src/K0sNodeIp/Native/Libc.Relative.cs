using System.Runtime.InteropServices;

namespace K0sNodeIp.Native;

/// <summary>
/// File calls relative to an open folder (openat, renameat, unlinkat, statx on a descriptor) and on an open file
/// (fchmod, fchown): a writer that opened its folder once names nothing else by path, so a folder another user can
/// write cannot have a name swapped under it between two calls.
/// </summary>
internal static unsafe partial class Libc
{
    internal const int OExcl = 0x80;
    private const int AtEmptyPath = 0x1000;

    [LibraryImport(Library, EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int OpenAt(int directory, string path, int flags, int mode);

    [LibraryImport(Library, EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int RenameAt(int fromDirectory, string from, int toDirectory, string to);

    [LibraryImport(Library, EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int UnlinkAt(int directory, string path, int flags);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int fchmod(int fd, uint mode);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int fchown(int fd, uint owner, uint group);

    [LibraryImport(Library)]
    internal static partial uint geteuid();

    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint read(int fd, byte* buffer, nint length);

    /// <summary>The open file or folder itself.</summary>
    /// <exception cref="NativeErrorException">statx failed.</exception>
    internal static FileStatus Fstat(int fd, string what)
    {
        var buffer = stackalloc byte[StatxSize];
        if (SyscallStatx(StatxNumber, fd, string.Empty, AtEmptyPath, StatxTypeModeUidGid, buffer) != 0)
        {
            throw NativeErrorException.FromLastError($"statx({what})");
        }

        return new FileStatus(*(uint*)(buffer + 20), *(uint*)(buffer + 24), *(ushort*)(buffer + 28));
    }

    /// <summary><paramref name="name"/> inside the open folder (a symlink is not followed), or null when nothing is there.</summary>
    /// <exception cref="NativeErrorException">statx failed for another reason.</exception>
    internal static FileStatus? StatAt(int directory, string name, string what)
    {
        var buffer = stackalloc byte[StatxSize];
        if (SyscallStatx(StatxNumber, directory, name, AtSymlinkNofollow, StatxTypeModeUidGid, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is Enoent or Enotdir ? null : throw new NativeErrorException($"statx({what})", errno);
        }

        return new FileStatus(*(uint*)(buffer + 20), *(uint*)(buffer + 24), *(ushort*)(buffer + 28));
    }
}

using System.Runtime.InteropServices;
using K0sNodeIp.Node;

namespace K0sNodeIp.Native;

/// <summary>
/// The file calls that .NET does not offer: the owner of a file (statx), chown, and an open that never follows a
/// symlink and never blocks on a FIFO. statx goes through syscall(2) because glibc exports it only from 2.28, and the
/// binary runs on older ones (README, "Portability"); its layout, unlike struct stat's, is the same on every
/// architecture.
/// </summary>
internal static unsafe partial class Libc
{
    internal const int OWronly = 1;
    internal const int ORdwr = 2;
    internal const int OCreat = 0x40;
    internal const int ONonblock = 0x800;
    internal const int Eperm = 1;
    internal const int Enoent = 2;
    internal const int Eacces = 13;
    internal const int Enotdir = 20;
    internal const int Enxio = 6;
    internal const int Eloop = 40;
    internal const int Enosys = 38;
    internal const int FGetfl = 3;
    internal const int FSetfl = 4;

    /// <summary>O_NOFOLLOW: the generic value (arm64) differs from x86-64's.</summary>
    internal static int ONofollow => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 0x20000 : 0x8000;

    private const int AtFdcwd = -100;
    private const int AtSymlinkNofollow = 0x100;
    private const uint StatxTypeModeUidGid = 0x1 | 0x2 | 0x8 | 0x10;

    // statx(2): struct statx is 256 bytes; stx_uid at 20, stx_gid at 24, stx_mode (type and permission bits) at 28.
    private const int StatxSize = 256;

    private static long StatxNumber => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 332 : 291;

    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long SyscallStatx(long number, int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int lchown(string path, uint owner, uint group);

    internal const int LockExclusive = 2;
    internal const int LockNonblocking = 4;
    internal const int Ewouldblock = 11;

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int OpenCreating(string path, int flags, int mode);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int flock(int fd, int operation);

    private const int WOk = 2;
    internal const int Erofs = 30;

    [LibraryImport(Library, EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    /// <summary>
    /// True when <paramref name="folder"/> lies on a file system mounted read-only for this process (access(2) with W_OK
    /// fails with EROFS): a systemd sandbox's ProtectSystem=strict shows as that, whoever owns the folder.
    /// </summary>
    internal static bool IsReadOnlyFileSystem(string folder) => Access(folder, WOk) != 0 && Marshal.GetLastPInvokeError() == Erofs;

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint write(int fd, byte* buffer, nint length);

    // STATX_TYPE | STATX_MODE | STATX_MTIME | STATX_CTIME | STATX_INO | STATX_SIZE; stx_ino at 32, stx_size at 40,
    // stx_ctime at 96 and stx_mtime at 112 (struct statx_timestamp: tv_sec i64, tv_nsec u32).
    private const uint StatxStampMask = 0x1 | 0x2 | 0x40 | 0x80 | 0x100 | 0x200;

    /// <summary>Which version of the file is at <paramref name="path"/> (not following a symlink); <see cref="FileStamp.Absent"/> when none.</summary>
    /// <exception cref="NativeErrorException">statx failed for another reason.</exception>
    internal static FileStamp Stamp(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (SyscallStatx(StatxNumber, AtFdcwd, path, AtSymlinkNofollow, StatxStampMask, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is Enoent or Enotdir ? FileStamp.Absent : throw new NativeErrorException($"statx({path})", errno);
        }

        return new FileStamp(*(ulong*)(buffer + 32), *(ulong*)(buffer + 40), *(long*)(buffer + 112), *(uint*)(buffer + 120), *(long*)(buffer + 96), *(uint*)(buffer + 104));
    }

    /// <summary>The file at <paramref name="path"/> itself (a symlink is not followed), or null when nothing is there.</summary>
    /// <exception cref="NativeErrorException">statx failed for another reason (ENOSYS on kernels before 4.11).</exception>
    internal static FileStatus? Lstat(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (SyscallStatx(StatxNumber, AtFdcwd, path, AtSymlinkNofollow, StatxTypeModeUidGid, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Enoent or Enotdir)
            {
                return null;
            }

            throw new NativeErrorException($"statx({path})", errno);
        }

        return new FileStatus(*(uint*)(buffer + 20), *(uint*)(buffer + 24), *(ushort*)(buffer + 28));
    }
}

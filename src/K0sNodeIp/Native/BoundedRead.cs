using System.Runtime.InteropServices;

namespace K0sNodeIp.Native;

/// <summary>
/// Reads a file someone else may have planted (the previous metrics file, in a folder another user can write) without
/// trusting it: opened without following a symlink and without blocking (a FIFO), checked to be a regular file on the
/// descriptor, and read up to a bound (a symlink to /dev/zero, a huge file).
/// </summary>
internal static unsafe class BoundedRead
{
    /// <summary>The text of the regular file at <paramref name="path"/>, its first <paramref name="maxBytes"/> bytes; null when it is absent or not one, with why.</summary>
    public static string? RegularFile(string path, int maxBytes, out string? whyNot)
    {
        whyNot = null;
        var fd = Libc.open(path, Libc.ORdonly | Libc.ONofollow | Libc.ONonblock | Libc.OCloexec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            whyNot = errno == Libc.Enoent ? null : errno == Libc.Eloop ? "it is a symlink" : $"it cannot be opened ({Marshal.GetPInvokeErrorMessage(errno)})";
            return null;
        }

        using var handle = new FileDescriptorHandle(fd);
        if (Libc.Fstat(fd, path).Kind != FileKind.Regular)
        {
            whyNot = "it is not a regular file";
            return null;
        }

        var buffer = new byte[maxBytes];
        var length = 0;
        fixed (byte* start = buffer)
        {
            while (length < maxBytes)
            {
                var n = Libc.read(fd, start + length, maxBytes - length);
                if (n < 0 && Marshal.GetLastPInvokeError() == Libc.Eintr)
                {
                    continue;
                }

                if (n <= 0)
                {
                    break;
                }

                length += (int)n;
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }
}

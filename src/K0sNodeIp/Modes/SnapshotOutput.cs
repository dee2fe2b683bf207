using System.Text;
using K0sNodeIp.Apply;
using K0sNodeIp.Native;

namespace K0sNodeIp.Modes;

/// <summary>
/// Writes a --snapshot file as root into a folder an unprivileged user may own, so never through a symlink (a
/// planted <c>report.json -&gt; /etc/shadow</c>, existing or dangling, is refused): a regular file is replaced by a
/// temporary file and rename(2), keeping its mode and owner; a FIFO or a device is opened with O_NOFOLLOW and
/// O_NONBLOCK, so a FIFO with no reader is an error instead of a hang. Standard output and the process's own
/// descriptors (<c>/dev/stdout</c>, <c>/dev/fd/N</c> from <c>&gt;(gzip)</c>) are the kernel's links, not a planted one.
/// </summary>
internal static class SnapshotOutput
{
    /// <exception cref="IOException">The file cannot be written; the message says why.</exception>
    public static void Write(string path, string text, TextWriter stdout)
    {
        if (path is "-" or "/dev/stdout" or "/dev/fd/1" or "/proc/self/fd/1")
        {
            stdout.Write(text);
            stdout.Flush();
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (IsOwnDescriptor(path))
        {
            using var own = new FileStream(path, FileMode.Open, FileAccess.Write);
            own.Write(bytes);
            return;
        }

        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new IOException($"folder {folder} does not exist");
        }

        switch (Libc.Lstat(full)?.Kind)
        {
            case null or FileKind.Regular:
                try
                {
                    AtomicFileWriter.Replace(full, bytes, othersFolder: OthersFolder.Write);
                }
                catch (NativeErrorException e) when (e.Errno is Libc.Eacces or Libc.Eperm or Libc.Erofs)
                {
                    // Named by the folder the user chose, not by the temporary file the refusal happened to hit.
                    throw new IOException(e.Errno == Libc.Erofs ? $"{folder} is on a read-only file system"
                        : $"permission denied in {folder} (the folder, or an existing {Path.GetFileName(full)} of another user's, cannot be replaced)", e);
                }

                return;
            case FileKind.Symlink:
                throw new IOException($"it is a symlink (to {new FileInfo(full).LinkTarget}); a snapshot is never written through one");
            case FileKind.Directory:
                throw new IOException("it is a folder");
            default:
                WriteInPlace(full, bytes);
                return;
        }
    }

    private static bool IsOwnDescriptor(string path) =>
        path is "/dev/stderr" || path.StartsWith("/dev/fd/", StringComparison.Ordinal) || path.StartsWith("/proc/self/fd/", StringComparison.Ordinal);

    /// <summary>A FIFO, a device or a socket: written where it is, opened without following or blocking.</summary>
    private static unsafe void WriteInPlace(string path, byte[] bytes)
    {
        var fd = Libc.open(path, Libc.OWronly | Libc.ONofollow | Libc.ONonblock | Libc.OCloexec);
        if (fd < 0)
        {
            var error = NativeErrorException.FromLastError($"open({path})");
            throw error.Errno switch
            {
                Libc.Enxio => new IOException("it is a FIFO with no reader (start the reader first, e.g. gzip < FIFO)", error),
                Libc.Eloop => new IOException("it became a symlink; a snapshot is never written through one", error),
                _ => error,
            };
        }

        using var handle = new FileDescriptorHandle(fd);

        // Opened: from here on a slow reader is waited for, as any writer to a pipe waits.
        var flags = Libc.fcntl(fd, Libc.FGetfl, 0);
        if (flags < 0 || Libc.fcntl(fd, Libc.FSetfl, flags & ~Libc.ONonblock) < 0)
        {
            throw NativeErrorException.FromLastError($"fcntl({path})");
        }

        fixed (byte* start = bytes)
        {
            for (nint done = 0; done < bytes.Length;)
            {
                var written = Libc.write(fd, start + done, bytes.Length - done);
                if (written < 0)
                {
                    var error = NativeErrorException.FromLastError($"write({path})");
                    if (error.Errno == Libc.Eintr)
                    {
                        continue;
                    }

                    throw error;
                }

                done += written;
            }
        }
    }
}

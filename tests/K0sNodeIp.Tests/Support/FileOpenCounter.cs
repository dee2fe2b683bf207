using System.Runtime.InteropServices;

namespace K0sNodeIp.Tests.Support;

/// <summary>
/// Counts how often files are opened, from the kernel's own inotify IN_OPEN events: the evidence that a detection reads
/// each input once. Events are queued by the open(2) itself, so everything opened before <see cref="Opens"/> is counted.
/// </summary>
internal sealed partial class FileOpenCounter : IDisposable
{
    private const int InNonBlock = 0x800;
    private const int InCloExec = 0x80000;
    private const uint InOpen = 0x20;

    // Watched too, only so that two opens are never successive identical events, which inotify coalesces into one.
    private const uint InClose = 0x08 | 0x10;
    private readonly int _fd;
    private readonly Dictionary<int, string> _watches = [];
    private readonly Dictionary<string, int> _opens = new(StringComparer.Ordinal);

    public FileOpenCounter(params string[] paths)
    {
        _fd = InotifyInit1(InNonBlock | InCloExec);
        if (_fd < 0)
        {
            throw new IOException($"inotify_init1: errno {Marshal.GetLastPInvokeError()}");
        }

        foreach (var path in paths)
        {
            var wd = InotifyAddWatch(_fd, path, InOpen | InClose);
            if (wd < 0)
            {
                throw new IOException($"inotify_add_watch {path}: errno {Marshal.GetLastPInvokeError()}");
            }

            _watches[wd] = path;
            _opens[path] = 0;
        }
    }

    /// <summary>How often each watched file was opened since the counter was made.</summary>
    public IReadOnlyDictionary<string, int> Opens()
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = Read(_fd, buffer, buffer.Length);
            if (read <= 0)
            {
                return _opens;
            }

            for (var offset = 0; offset + 16 <= read;)
            {
                var wd = BitConverter.ToInt32(buffer, offset);
                var mask = BitConverter.ToUInt32(buffer, offset + 4);
                var nameLength = BitConverter.ToInt32(buffer, offset + 12);
                if ((mask & InOpen) != 0 && _watches.TryGetValue(wd, out var path))
                {
                    _opens[path]++;
                }

                offset += 16 + nameLength;
            }
        }
    }

    public void Dispose() => _ = Close(_fd);

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    private static partial int InotifyInit1(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int InotifyAddWatch(int fd, string path, uint mask);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

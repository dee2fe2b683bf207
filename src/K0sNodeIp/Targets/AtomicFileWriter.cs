using System.Text;
using K0sNodeIp.Native;

namespace K0sNodeIp.Targets;

/// <summary>
/// Replaces a file so that a crash at any instant leaves the old or the new content, never a torn one:
/// a temporary file in the same folder, fsync, rename(2) over the destination, fsync of the folder.
/// Writes only when the content differs, never through a symlink, and keeps the first content it replaces
/// as <c>FILE.k0s-node-ip.bak</c> so an operator can go back.
/// </summary>
internal static class AtomicFileWriter
{
    public const string BackupSuffix = ".k0s-node-ip.bak";
    /// <summary>
    /// Latin-1 maps every byte to one char and back, so a file with a BOM, UTF-8 or invalid bytes in comments
    /// is rewritten byte for byte except where we change it.
    /// </summary>
    public static readonly Encoding Bytes = Encoding.Latin1;

    private const string TemporaryMarker = ".k0s-node-ip.tmp.";
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);
    private const UnixFileMode Mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>What is at <paramref name="path"/> now, or null when nothing is.</summary>
    /// <exception cref="TargetException">The path is a symlink or a folder.</exception>
    public static string? ReadCurrent(string path)
    {
        CheckDestination(path);
        try
        {
            return File.Exists(path) ? Bytes.GetString(File.ReadAllBytes(path)) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TargetException($"cannot read {path}: {e.Message}", e);
        }
    }

    /// <returns>True when the file was written; false when it already held <paramref name="content"/>.</returns>
    /// <exception cref="TargetException">The file could not be written; the old one is intact.</exception>
    public static bool WriteIfChanged(string path, string content, bool createDirectory = false)
    {
        var current = ReadCurrent(path);
        if (current == content)
        {
            return false;
        }

        var directory = Path.GetDirectoryName(path)!;
        try
        {
            if (!Directory.Exists(directory))
            {
                if (!createDirectory)
                {
                    throw new TargetException($"cannot write {path}: folder {directory} does not exist");
                }

                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            var backup = path + BackupSuffix;
            if (current is not null && !File.Exists(backup))
            {
                Replace(backup, Bytes.GetBytes(current));
            }

            Replace(path, Bytes.GetBytes(content));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TargetException($"cannot write {path}: {e.Message}", e);
        }
    }

    internal static void Replace(string path, byte[] bytes)
    {
        var directory = Path.GetDirectoryName(path)!;
        var prefix = "." + Path.GetFileName(path) + TemporaryMarker;

        // Leftovers of a writer killed mid-write (old enough not to be another writer's file in progress);
        // never the live file, which rename(2) replaces whole.
        foreach (var stale in Directory.EnumerateFiles(directory, prefix + "*"))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(stale) > StaleAfter)
            {
                File.Delete(stale);
            }
        }

        // A name of our own, created exclusively (O_EXCL): no other writer shares it, no symlink is followed.
        var temporary = Path.Combine(directory, prefix + Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Mode0644 };
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            // The umask may have narrowed the mode at creation.
            File.SetUnixFileMode(temporary, Mode0644);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        // The new content is in place; a failing directory fsync only weakens durability, so it is not an error.
        try
        {
            SyncDirectory(directory);
        }
        catch (NativeErrorException)
        {
        }
    }

    private static void CheckDestination(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            throw new TargetException($"refusing to write {path}: it is a symlink (to {info.LinkTarget})");
        }

        if (Directory.Exists(path))
        {
            throw new TargetException($"refusing to write {path}: it is a folder");
        }
    }

    /// <summary>Makes the rename itself durable.</summary>
    private static void SyncDirectory(string directory)
    {
        var fd = Libc.open(directory, Libc.ORdonly | Libc.ODirectory | Libc.OCloexec);
        if (fd < 0)
        {
            throw NativeErrorException.FromLastError($"open({directory})");
        }

        using var handle = new FileDescriptorHandle(fd);
        if (Libc.fsync(fd) != 0)
        {
            throw NativeErrorException.FromLastError($"fsync({directory})");
        }
    }
}

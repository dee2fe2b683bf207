using System.Text;
using K0sNodeIp.Native;

namespace K0sNodeIp.Targets;

/// <summary>
/// Replaces a file so that a crash at any instant leaves the old or the new content, never a torn one:
/// a temporary file in the same folder, fsync, rename(2) over the destination, fsync of the folder.
/// Writes only when the content differs, never through a symlink, and keeps the first content it replaces
/// as <c>FILE.k0s-node-ip.bak</c> so an operator can go back.
/// </summary>
public static class AtomicFileWriter
{
    public const string BackupSuffix = ".k0s-node-ip.bak";
    private const UnixFileMode Mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>What is at <paramref name="path"/> now, or null when nothing is.</summary>
    /// <exception cref="TargetException">The path is a symlink or a folder.</exception>
    public static string? ReadCurrent(string path)
    {
        CheckDestination(path);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
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
                Replace(backup, Encoding.UTF8.GetBytes(current));
            }

            Replace(path, Encoding.UTF8.GetBytes(content));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TargetException($"cannot write {path}: {e.Message}", e);
        }
    }

    private static void Replace(string path, byte[] bytes)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".k0s-node-ip.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = Mode0644 };
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            // A leftover temporary file of an earlier crash may carry another mode.
            File.SetUnixFileMode(temporary, Mode0644);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        SyncDirectory(Path.GetDirectoryName(path)!);
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

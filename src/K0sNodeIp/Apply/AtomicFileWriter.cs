using K0sNodeIp.Formats;
using K0sNodeIp.Native;
using K0sNodeIp.Node;

namespace K0sNodeIp.Apply;

/// <summary>
/// Replaces a file so that a crash at any instant leaves the old or the new content, never a torn one:
/// a temporary file in the same folder, fsync, rename(2) over the destination, fsync of the folder.
/// Writes only when the content differs, never through a symlink, and keeps the first content it replaces
/// as <c>FILE.k0s-node-ip.bak</c> so an operator can go back. The new content and the backup keep the replaced
/// file's mode and owner (a 0600 environment file holding a token stays 0600); only a new file is 0644.
/// </summary>
internal static class AtomicFileWriter
{
    public const string BackupSuffix = ".k0s-node-ip.bak";

    private const string TemporaryMarker = ".k0s-node-ip.tmp.";
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);
    // chown(2)'s "leave as it is" (-1).
    private const uint UnknownOwner = uint.MaxValue;
    private const UnixFileMode Mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Replaces the file with <paramref name="content"/>; the pipeline read <paramref name="current"/> already and decided to write.</summary>
    /// <param name="current">The content read before (null: none), kept as the backup when there is none yet.</param>
    /// <param name="readFrom">The version <paramref name="current"/> was read from: a file changed since (by hand, by another tool) is left as it is.</param>
    /// <exception cref="TargetException">The file could not be written, or changed since it was read; the old one is intact.</exception>
    /// <param name="keepBackup">Keep the first content replaced as the backup: for files of the operator's (not the agent's own drop-in).</param>
    public static void Write(string path, string content, string? current, bool createDirectory = false, FileStamp? readFrom = null, bool keepBackup = true)
    {
        CheckDestination(path);
        EnsureUnchanged(path, readFrom);
        var directory = Path.GetDirectoryName(path)!;
        try
        {
            if (!Directory.Exists(directory))
            {
                if (!createDirectory)
                {
                    throw new TargetException($"cannot write {path}: folder {directory} does not exist");
                }

                if (Path.GetDirectoryName(directory) is { } parent && Libc.IsReadOnlyFileSystem(parent))
                {
                    throw new TargetNotWritableException(path, directory);
                }

                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            var backup = path + BackupSuffix;
            if (keepBackup && current is not null && !File.Exists(backup))
            {
                Replace(backup, FileText.Bytes.GetBytes(current), attributesFrom: path);
            }

            // Once more right before the rename: the window for an edit to be lost is this call, not the whole reconcile.
            EnsureUnchanged(path, readFrom);
            Replace(path, FileText.Bytes.GetBytes(content));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Named by the folder and its fix, not by the temporary file the refusal happened to hit.
            throw Libc.IsReadOnlyFileSystem(directory) ? new TargetNotWritableException(path, directory, e) : new TargetException($"cannot write {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Removes <paramref name="path"/> when it is a regular file (never through a symlink) whose content <paramref name="isOwn"/>
    /// recognises as the agent's; true when it was removed. An operator's file of that name is left as it is.
    /// </summary>
    /// <exception cref="TargetException">It could not be read or removed.</exception>
    public static bool RemoveIfOwn(string path, Func<string, bool> isOwn)
    {
        if (!File.Exists(path) || ReplaceableFile.WhyNot(path) is not null)
        {
            return false;
        }

        try
        {
            if (!isOwn(FileText.Bytes.GetString(File.ReadAllBytes(path))))
            {
                return false;
            }

            File.Delete(path);
            SyncDirectory(Path.GetDirectoryName(path)!);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NativeErrorException)
        {
            throw new TargetException($"cannot remove {path}: {e.Message}", e);
        }
    }

    /// <summary>The file is still the version the pipeline read (nothing to check without one: a replay, a test).</summary>
    /// <exception cref="TargetException">It changed since: what the plan merged is out of date.</exception>
    public static void EnsureUnchanged(string path, FileStamp? readFrom)
    {
        if (readFrom is not { } expected)
        {
            return;
        }

        FileStamp now;
        try
        {
            now = Libc.Stamp(path);
        }
        catch (NativeErrorException e)
        {
            throw new TargetException($"cannot write {path}: {e.Message}", e);
        }

        if (now != expected)
        {
            throw new TargetException($"{path} changed after k0s-node-ip read it (by hand or by another tool): left as it is; the next reconcile merges the change");
        }
    }

    /// <param name="path">The file to replace or create.</param>
    /// <param name="bytes">Its new content.</param>
    /// <param name="attributesFrom">Whose mode and owner the file gets (default: <paramref name="path"/>'s own, when it exists).</param>
    internal static void Replace(string path, byte[] bytes, string? attributesFrom = null)
    {
        var directory = Path.GetDirectoryName(path)!;
        var keep = AttributesToKeep(attributesFrom ?? path);
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
            // Owner-only until the owner and mode are the ones to keep: nobody else can open it meanwhile.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            // Only when the owner differs from the new file's own: the unit's sandbox filters chown (@privileged) and
            // holds no CAP_CHOWN, and root replacing root's file needs none.
            if (keep is { Uid: not UnknownOwner } kept && Libc.Lstat(temporary) is { } created && (created.Uid, created.Gid) != (kept.Uid, kept.Gid)
                && Libc.lchown(temporary, kept.Uid, kept.Gid) != 0)
            {
                throw NativeErrorException.FromLastError($"chown({temporary}, {kept.Uid}:{kept.Gid}) to keep the owner of {path}");
            }

            // After chown, which clears setuid and setgid; the umask does not narrow a chmod.
            File.SetUnixFileMode(temporary, keep?.Permissions ?? Mode0644);
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

    /// <summary>The owner and mode of the regular file at <paramref name="path"/>, or null for a new file.</summary>
    private static FileStatus? AttributesToKeep(string path)
    {
        try
        {
            return Libc.Lstat(path) is { Kind: FileKind.Regular } existing ? existing : null;
        }
        catch (NativeErrorException e) when (e.Errno == Libc.Enosys)
        {
            // A kernel before statx (4.11): the mode is kept, the owner cannot be read, so the new file is the writer's.
            return File.Exists(path) ? new FileStatus(UnknownOwner, UnknownOwner, (ushort)(0x8000 | (int)File.GetUnixFileMode(path))) : null;
        }
    }

    private static void CheckDestination(string path)
    {
        if (ReplaceableFile.WhyNot(path) is { } why)
        {
            throw new TargetException($"refusing to write {path}: {why}");
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

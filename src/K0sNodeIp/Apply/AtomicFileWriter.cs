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
    /// <param name="ownBackup">With no backup kept: recognises a backup an earlier release kept of the agent's own file, which is removed.</param>
    public static void Write(string path, string content, string? current, bool createDirectory = false, FileStamp? readFrom = null, bool keepBackup = true, Func<string, bool>? ownBackup = null)
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

            // The folder opened once for the backup and the file; refused, if it must be, as the file asked for.
            using var folder = OpenFolder.Open(directory);
            RefuseOthersFolder(path, folder);
            var name = Path.GetFileName(path);
            if (keepBackup && current is not null && folder.StatusOf(name + BackupSuffix) is null)
            {
                Replace(folder, name + BackupSuffix, FileText.Bytes.GetBytes(current), attributesFrom: name);
            }

            // Once more right before the rename: the window for an edit to be lost is this call, not the whole reconcile.
            EnsureUnchanged(path, readFrom);
            Replace(folder, name, FileText.Bytes.GetBytes(content));
            if (!keepBackup && ownBackup is not null)
            {
                // A backup an earlier release kept of the agent's own file: not needed, and it would keep the folder.
                RemoveBackup(folder, name, ownBackup);
            }
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

            using var folder = OpenFolder.Open(Path.GetDirectoryName(path)!);
            folder.Unlink(Path.GetFileName(path));
            RemoveBackup(folder, Path.GetFileName(path), isOwn);
            folder.Sync();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NativeErrorException)
        {
            throw new TargetException($"cannot remove {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Removes the backup of <paramref name="name"/> when <paramref name="isOwn"/> recognises it as the agent's own
    /// content (an operator's original is kept); best effort: one that cannot be looked at or removed is left as it is.
    /// </summary>
    private static void RemoveBackup(OpenFolder folder, string name, Func<string, bool> isOwn)
    {
        try
        {
            // Read by name only in a folder the agent may write, which no one but root can (RefuseOthersFolder).
            if (folder.StatusOf(name + BackupSuffix) is { Kind: FileKind.Regular }
                && isOwn(FileText.Bytes.GetString(File.ReadAllBytes(Path.Combine(folder.Path, name + BackupSuffix)))))
            {
                folder.Unlink(name + BackupSuffix);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
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
    /// <param name="bytes">Its new content; the file keeps its mode and owner when it exists.</param>
    /// <param name="othersFolder">
    /// What root may do in a folder that others than root can write: <see cref="OthersFolder.Refuse"/> for root's own
    /// files (targets, drop-ins, backups, the state), <see cref="OthersFolder.Write"/> for a new file that is safe to put
    /// there (the metrics, a snapshot): every operation is relative to the folder opened once, so nothing by name.
    /// </param>
    /// <exception cref="TargetException">Root would write root's file into a folder others can write.</exception>
    internal static void Replace(string path, byte[] bytes, OthersFolder othersFolder = OthersFolder.Refuse)
    {
        using var folder = OpenFolder.Open(Path.GetDirectoryName(path)!);
        if (othersFolder == OthersFolder.Refuse)
        {
            RefuseOthersFolder(path, folder);
        }

        Replace(folder, Path.GetFileName(path), bytes);
    }

    /// <summary>Replaces root's own record at <paramref name="path"/> with the indented JSON object <paramref name="writeMembers"/> writes, and a newline.</summary>
    internal static void ReplaceJson(string path, Action<System.Text.Json.Utf8JsonWriter> writeMembers)
    {
        using var stream = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            writeMembers(json);
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        Replace(path, stream.ToArray());
    }

    /// <summary>Replaces <paramref name="name"/> in the open folder; <paramref name="attributesFrom"/>: whose mode and owner it gets (default: its own, when it exists).</summary>
    private static void Replace(OpenFolder folder, string name, byte[] bytes, string? attributesFrom = null)
    {
        var keep = AttributesToKeep(folder, attributesFrom ?? name);
        var prefix = "." + name + TemporaryMarker;

        // Leftovers of a writer killed mid-write (old enough not to be another writer's file in progress); never the
        // live file, which the rename replaces whole. Removed by name inside the open folder: a symlink itself, never its target.
        foreach (var stale in Directory.EnumerateFiles(folder.Path, prefix + "*"))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(stale) > StaleAfter)
            {
                folder.Unlink(Path.GetFileName(stale));
            }
        }

        // A name of our own, created exclusively (O_EXCL, O_NOFOLLOW) in the folder opened once: no other writer shares it.
        var temporary = prefix + Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..8];
        try
        {
            folder.CreateExclusive(temporary, bytes, keep is { Uid: not UnknownOwner } owner ? owner.Uid : null, keep is { Uid: not UnknownOwner } group ? group.Gid : null,
                keep?.Permissions ?? Mode0644);
            folder.Rename(temporary, name);
        }
        catch
        {
            folder.Unlink(temporary);
            throw;
        }

        // The new content is in place; a failing folder fsync only weakens durability, so it is not an error.
        try
        {
            folder.Sync();
        }
        catch (NativeErrorException)
        {
        }
    }

    /// <exception cref="TargetException">Root would write its own file into a folder others than root can write.</exception>
    private static void RefuseOthersFolder(string path, OpenFolder folder)
    {
        if (folder.OthersMayWrite && Libc.geteuid() == 0)
        {
            var status = folder.Status;
            throw new TargetException($"refusing to write {path}: its folder {folder.Path} can be written by others than root (owner {status.Uid}:{status.Gid}, mode "
                + $"{Convert.ToString((int)status.Permissions, 8)}), who could swap or redirect what root writes there; make the folder root's and not group- or world-writable");
        }
    }

    /// <summary>The owner and mode of the regular file <paramref name="name"/> in the open folder, or null for a new file.</summary>
    private static FileStatus? AttributesToKeep(OpenFolder folder, string name)
    {
        try
        {
            return folder.StatusOf(name) is { Kind: FileKind.Regular } existing ? existing : null;
        }
        catch (NativeErrorException e) when (e.Errno == Libc.Enosys)
        {
            // A kernel before statx (4.11): the mode is kept, the owner cannot be read, so the new file is the writer's.
            var path = Path.Combine(folder.Path, name);
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
}

namespace K0sNodeIp.Formats;

/// <summary>
/// The target's folder is read-only for the agent (a file system mounted read-only here: the unit's sandbox,
/// ProtectSystem=strict, lets the agent write only the folders it names): the pair is known, the file is kept, and
/// the fix is the operator's, named in the message.
/// </summary>
internal sealed class TargetNotWritableException : TargetException
{
    public TargetNotWritableException(string path, string folder, Exception innerException)
        : base($"cannot write {path}: {folder} is read-only for k0s-node-ip (a read-only mount; under the packaged unit, its sandbox: ProtectSystem=strict allows only the k0s drop-in folders); "
            + $"allow it with a drop-in of the agent's unit: systemctl edit k0s-node-ip, add [Service] ReadWritePaths={folder}, then systemctl restart k0s-node-ip (README, \"Agent mode\")", innerException)
    {
        Path = path;
        Folder = folder;
    }

    /// <summary>The file's folder does not exist, and its parent is read-only here: the folder cannot be made.</summary>
    public TargetNotWritableException(string path, string folder)
        : base($"cannot write {path}: its folder {folder} does not exist, and k0s-node-ip may not make it here (a read-only mount; under the packaged unit, "
            + "its sandbox: the unit's ExecStartPre= makes the drop-in folders of the k0s units that exist when the agent starts)")
    {
        Path = path;
        Folder = folder;
        FolderMissing = true;
    }

    public TargetNotWritableException()
    {
    }

    public TargetNotWritableException(string message) : base(message)
    {
    }

    public TargetNotWritableException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The file that could not be written.</summary>
    public string Path { get; } = string.Empty;

    /// <summary>The read-only folder it lives in, or the missing folder it would live in.</summary>
    public string Folder { get; } = string.Empty;

    /// <summary>True when <see cref="Folder"/> does not exist (and cannot be made), rather than being read-only.</summary>
    public bool FolderMissing { get; }
}

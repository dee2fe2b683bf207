namespace K0sNodeIp.Native;

/// <summary>What statx(2) says of a file: its owner, its type and its permission bits.</summary>
/// <param name="Uid">The owner.</param>
/// <param name="Gid">The group.</param>
/// <param name="Mode">st_mode: the type (S_IFMT) and the permission bits.</param>
internal readonly record struct FileStatus(uint Uid, uint Gid, ushort Mode)
{
    private const int TypeMask = 0xF000;

    public FileKind Kind => (Mode & TypeMask) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.Symlink,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Other,
    };

    /// <summary>The permission bits, setuid, setgid and sticky included.</summary>
    public UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);
}

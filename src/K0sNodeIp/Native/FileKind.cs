namespace K0sNodeIp.Native;

/// <summary>The file types of st_mode that the writers tell apart.</summary>
internal enum FileKind
{
    Regular,
    Directory,
    Symlink,
    Fifo,
    CharacterDevice,
    Socket,
    Other,
}

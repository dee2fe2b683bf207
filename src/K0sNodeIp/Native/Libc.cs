using System.Runtime.InteropServices;

namespace K0sNodeIp.Native;

/// <summary>The libc calls K0sNodeIp makes directly: netlink sockets and getaddrinfo.</summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    internal const int AfUnspec = 0;
    internal const int AfInet = 2;
    internal const int AfInet6 = 10;
    internal const int AfNetlink = 16;
    internal const int SockStream = 1;
    internal const int SockRaw = 3;
    internal const int SockCloexec = 0x80000;
    internal const int NetlinkRoute = 0;
    internal const int Eintr = 4;
    internal const int Eagain = 11;
    internal const int Enobufs = 105;
    internal const int SolSocket = 1;
    internal const int SoRcvbuf = 8;

    [StructLayout(LayoutKind.Sequential)]
    internal struct SockAddrNetlink
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct AddrInfo
    {
        public int Flags;
        public int Family;
        public int SockType;
        public int Protocol;
        public uint AddrLen;
        public byte* Addr;
        public byte* CanonName;
        public AddrInfo* Next;
    }

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bind(int fd, SockAddrNetlink* address, int length);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int setsockopt(int fd, int level, int name, int* value, int length);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int close(int fd);

    internal const int ORdonly = 0;
    internal const int ODirectory = 0x10000;
    internal const int OCloexec = 0x80000;

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int fsync(int fd);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int getaddrinfo(string node, string? service, AddrInfo* hints, AddrInfo** result);

    [LibraryImport(Library)]
    internal static partial void freeaddrinfo(AddrInfo* result);

    [LibraryImport(Library)]
    internal static partial byte* gai_strerror(int error);

    internal const int SigHup = 1;

    internal const int ShutReadWrite = 2;

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int shutdown(int fd, int how);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int kill(int pid, int signal);
}

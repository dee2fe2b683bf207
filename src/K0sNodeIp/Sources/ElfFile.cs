using System.Buffers.Binary;

namespace K0sNodeIp.Sources;

/// <summary>
/// Reads just enough of an ELF file's program headers to tell a static binary from a dynamically linked one:
/// only the latter has a <c>PT_INTERP</c> header naming the dynamic loader (elf(5)). A Go program built without
/// cgo is static and never calls glibc's resolver; one built with cgo is dynamic.
/// </summary>
internal static class ElfFile
{
    private const uint ProgramHeaderInterpreter = 3; // PT_INTERP

    /// <summary>True for a static ELF, false for a dynamic one, null when the file is not an ELF file.</summary>
    public static bool? IsStatic(Stream stream)
    {
        Span<byte> header = stackalloc byte[64];
        if (!ReadAt(stream, 0, header))
        {
            return null;
        }

        if (header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F' || header[4] is not (1 or 2) || header[5] is not (1 or 2))
        {
            return null;
        }

        var is64 = header[4] == 2;
        var little = header[5] == 1;
        var tableOffset = is64 ? (long)U64(header[32..], little) : U32(header[28..], little);
        var entrySize = U16(header[(is64 ? 54 : 42)..], little);
        var count = U16(header[(is64 ? 56 : 44)..], little);
        if (entrySize < 4 || tableOffset <= 0)
        {
            return count == 0 ? true : null;
        }

        Span<byte> type = stackalloc byte[4];
        for (var i = 0; i < count; i++)
        {
            if (!ReadAt(stream, tableOffset + ((long)i * entrySize), type))
            {
                return null;
            }

            if (U32(type, little) == ProgramHeaderInterpreter)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The same for a path; null when the file cannot be read or is not ELF.</summary>
    public static bool? IsStatic(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            return IsStatic(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool ReadAt(Stream stream, long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset + buffer.Length > stream.Length)
        {
            return false;
        }

        stream.Position = offset;
        stream.ReadExactly(buffer);
        return true;
    }

    private static ushort U16(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    private static uint U32(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

    private static ulong U64(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);
}

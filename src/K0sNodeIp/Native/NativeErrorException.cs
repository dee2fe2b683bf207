using System.Runtime.InteropServices;

namespace K0sNodeIp.Native;

/// <summary>A failed system call, with the call's name and errno.</summary>
internal sealed class NativeErrorException : IOException
{
    public NativeErrorException(string call, int errno)
        : base($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Call = call;
        Errno = errno;
    }

    public NativeErrorException()
    {
        Call = string.Empty;
    }

    public NativeErrorException(string message) : base(message)
    {
        Call = string.Empty;
    }

    public NativeErrorException(string message, Exception innerException) : base(message, innerException)
    {
        Call = string.Empty;
    }

    public string Call { get; }

    public int Errno { get; }

    internal static NativeErrorException FromLastError(string call) => new(call, Marshal.GetLastPInvokeError());
}

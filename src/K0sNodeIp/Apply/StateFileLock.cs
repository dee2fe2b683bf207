using K0sNodeIp.Native;

namespace K0sNodeIp.Apply;

/// <summary>
/// An exclusive flock(2) on <c>STATEFILE.lock</c> beside the state file, held for a whole reconcile: --once and the
/// daemon never read the state while the other is between a write and its restart, so neither restarts the unit a
/// second time for a restart the other has in flight. The state file itself is replaced by rename, so it cannot carry
/// the lock. The kernel drops the lock with the process, so a killed holder never leaves it stale.
/// </summary>
internal sealed class StateFileLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly FileDescriptorHandle _handle;

    private StateFileLock(FileDescriptorHandle handle) => _handle = handle;

    public static string PathFor(string statePath) => statePath + ".lock";

    /// <summary>Waits for the lock (cancellable: flock itself cannot be interrupted by a token, so it is polled).</summary>
    /// <exception cref="IOException">The lock file cannot be opened or locked.</exception>
    public static async Task<StateFileLock> AcquireAsync(string statePath, CancellationToken cancellationToken)
    {
        var path = PathFor(statePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // open(2) itself, not a FileStream: .NET takes a flock of its own on what it opens (LOCK_SH for a shared
        // FileStream), which would make a second reconciler's open fail instead of wait.
        var fd = Libc.OpenCreating(path, Libc.ORdwr | Libc.OCreat | Libc.OCloexec, 0b110_000_000);
        if (fd < 0)
        {
            throw NativeErrorException.FromLastError($"open({path})");
        }

        var handle = new FileDescriptorHandle(fd);
        try
        {
            while (Libc.flock(fd, Libc.LockExclusive | Libc.LockNonblocking) != 0)
            {
                var error = NativeErrorException.FromLastError($"flock({path})");
                if (error.Errno is not (Libc.Ewouldblock or Libc.Eintr))
                {
                    throw error;
                }

                await Task.Delay(Poll, cancellationToken);
            }

            return new StateFileLock(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Dispose() => _handle.Dispose();
}

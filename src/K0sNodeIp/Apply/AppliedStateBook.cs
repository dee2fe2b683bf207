using K0sNodeIp.Formats;
using Microsoft.Extensions.Logging;

namespace K0sNodeIp.Apply;

/// <summary>
/// Keeps <see cref="AppliedState"/> for one target (its file and unit as they are now: a k0s target follows the unit it chose) in its file (none without a state file): the transitions are
/// <see cref="AppliedState"/>'s; this only loads, saves and serialises them between the reconcile and the reloader's
/// callbacks. A record that cannot be saved only loses the make-up of a restart after a crash: the write goes on.
/// </summary>
internal sealed class AppliedStateBook(string? statePath, Func<string> target, Func<string?> unit, ILogger logger)
{
    private readonly Lock _lock = new();

    public bool Enabled => statePath is not null;

    /// <summary>The record in the file; null without a state file, or none there, or one that cannot be read.</summary>
    public AppliedState? Load() => statePath is null ? null : AppliedState.Load(statePath);

    /// <summary>Records what is about to be written, before writing it: a crash right after leaves the restart owed.</summary>
    public void RecordWrite(string contentHash, string pair, string? current, bool noRestart)
    {
        if (statePath is null)
        {
            return;
        }

        lock (_lock)
        {
            Save(AppliedState.AfterWrite(Load(), target(), contentHash, pair, unit(), current, noRestart));
        }
    }

    /// <summary>The restart for one written content completed, or none is needed.</summary>
    public void RecordRestartCompleted(string? contentHash)
    {
        if (statePath is null || contentHash is null)
        {
            return;
        }

        lock (_lock)
        {
            if (AppliedState.AfterRestart(Load(), target(), contentHash) is { } next)
            {
                Save(next);
            }
        }
    }

    private void Save(AppliedState state)
    {
        try
        {
            state.Save(statePath!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TargetException)
        {
            logger.LogWarning("cannot record the applied state in {Path}: {Error}", statePath, e.Message);
        }
    }
}

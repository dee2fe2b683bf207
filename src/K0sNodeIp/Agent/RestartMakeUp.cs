using K0sNodeIp.Apply;
using K0sNodeIp.Node;
using K0sNodeIp.Reload;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Agent;

/// <summary>
/// The pure half of "nothing to write, but something is owed": from the facts the applier asked of systemd and the
/// state file, the restart (or daemon-reload) to make up, first match wins; null when nothing is owed.
/// </summary>
internal static class RestartMakeUp
{
    /// <param name="startRefused">systemd says the unit's last start was refused by the drop-in's ExecCondition=.</param>
    /// <param name="owed">A restart of this process that failed, to ask again.</param>
    /// <param name="recorded">The state file's record, when not yet checked in this process: an earlier run may have died between its write and its restart.</param>
    public static ReloadRequest? For(string unit, INodeIpTarget target, NodeIpPair pair, string? current, bool startRefused, ReloadRequest? owed, AppliedState? recorded)
    {
        if (startRefused)
        {
            // The drop-in was re-derived already, but a start came in between (refused by its ExecCondition=).
            return new ReloadRequest(unit, true, $"{target.Path} holds {unit}'s current command line", Action: ReloadAction.DaemonReloadOnly);
        }

        if (owed is not null)
        {
            return owed;
        }

        return recorded is not null && recorded.OwesRestart(target.Path, current)
            ? new ReloadRequest(unit, target.IsUnitDropIn, $"{target.Path} was written by an earlier run whose restart of {unit} never completed (node IP {pair})", ContentHash: recorded.ContentSha256)
            : null;
    }
}

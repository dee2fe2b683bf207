using K0sNodeIp.Apply;
using K0sNodeIp.Formats;
using K0sNodeIp.Node;
using K0sNodeIp.Reload;
using K0sNodeIp.Targets;
using Microsoft.Extensions.Logging;

namespace K0sNodeIp.Agent;

/// <summary>
/// The agent's own drop-ins and their folders, apart from the reconcile that writes them: a drop-in the target no longer
/// writes is removed (daemon-reloaded, and the tidy unit takes a folder left empty), and a k0s unit's missing folder is
/// made by a restart of the agent's own unit, whose ExecStartPre= makes what the sandbox cannot.
/// </summary>
/// <param name="runsInItsUnit">The daemon runs in its own unit (its restart and the tidy unit are there to ask for).</param>
internal sealed class DropInFolderCare(INodeIpTarget target, UnitReloader reloader, string? statePath, string bootId, bool runsInItsUnit, ILogger logger)
{
    /// <summary>The shipped oneshot that takes away the empty drop-in folder of a k0s unit that is not installed.</summary>
    public const string TidyUnit = "k0s-node-ip-tidy.service";

    /// <summary>
    /// The agent's drop-ins the target no longer writes (a k0s unit no longer chosen, or one that runs no kubelet) are
    /// removed while they are still the agent's own; the unit is daemon-reloaded, and a start their stale ExecCondition=
    /// refused is made.
    /// </summary>
    public async Task RemoveStaleOwnFilesAsync(CancellationToken cancellationToken)
    {
        foreach (var path in target.StaleOwnFiles)
        {
            try
            {
                if (!AtomicFileWriter.RemoveIfOwn(path, target.WrittenByAgent))
                {
                    continue;
                }
            }
            catch (TargetException e)
            {
                logger.LogWarning("{Error}", e.Message);
                continue;
            }

            var folder = Path.GetFileName(Path.GetDirectoryName(path)) ?? string.Empty;
            var unit = ServiceUnitName.Stem(folder.EndsWith(".d", StringComparison.Ordinal) ? folder[..^".d".Length] : folder);
            logger.LogWarning("removed {Path}: the drop-in k0s-node-ip wrote for {Unit}, which no longer runs this node's kubelet (now: {Chosen})", path, unit, target.Description);
            await reloader.RequestAsync(new ReloadRequest(unit, true, $"removed {path}", Action: ReloadAction.DaemonReloadOnly), cancellationToken);

            // The sandbox cannot take away a folder it was given (a mount point here); the shipped tidy unit, outside it, takes
            // the empty folder of a unit that is gone (k0s reset), so nothing is left behind.
            if (runsInItsUnit && Path.GetDirectoryName(path) is { } emptied && K0sUnitFileOf(emptied) is { } unitFile
                && !File.Exists(unitFile) && !Directory.EnumerateFileSystemEntries(emptied).Any())
            {
                await reloader.StartHelperAsync(TidyUnit, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The unit file of <paramref name="folder"/> when it is a k0s unit's drop-in folder in /etc/systemd/system, the only
    /// folders the agent's ExecStartPre= and the tidy unit look after; null for any other folder.
    /// </summary>
    private static string? K0sUnitFileOf(string folder) =>
        Path.GetDirectoryName(folder) == UnitDropIns.SystemUnitDirectory && K0sUnitChoice.Units.Any(unit => Path.GetFileName(folder) == ServiceUnitName.DropInFolder(unit))
            ? folder[..^".d".Length]
            : null;

    private string? RestartMarker => statePath is null ? null : Path.ChangeExtension(statePath, ".folder-restart");

    /// <summary>The folder restart did its job once a drop-in is written: another one may be needed after a k0s reset and a new install this boot.</summary>
    public void Written()
    {
        if (RestartMarker is { } marker && File.Exists(marker))
        {
            File.Delete(marker);
        }
    }

    /// <summary>
    /// Restarts the agent's own unit so that its ExecStartPre= makes <paramref name="folder"/>; once per boot and folder
    /// until a drop-in is written there (a marker beside the state file, removed by that write: k0s reset and a new
    /// install in one boot need the restart again), so a folder that restart cannot make is an error, not a loop.
    /// </summary>
    public async Task<bool> RestartForFolderAsync(string own, string folder, CancellationToken cancellationToken)
    {
        // Only a folder the unit's ExecStartPre= makes: a k0s unit's, in /etc/systemd/system, whose unit file exists.
        if (statePath is null || K0sUnitFileOf(folder) is not { } unitFile || !File.Exists(unitFile))
        {
            return false;
        }

        // Once per boot and folder: a restart that did not make it is an error to read, not a loop.
        var marker = RestartMarker!;
        var record = $"{bootId}\n{folder}\n";
        try
        {
            if (File.Exists(marker) && File.ReadAllText(marker) == record)
            {
                return false;
            }

            AtomicFileWriter.Replace(marker, FileText.Bytes.GetBytes(record));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TargetException)
        {
            return false;
        }

        logger.LogWarning("{Folder} does not exist and this sandbox cannot make it: restarting {Unit}, whose ExecStartPre= makes it", folder, own);
        return await reloader.RestartOwnUnitAsync(own, cancellationToken);
    }
}

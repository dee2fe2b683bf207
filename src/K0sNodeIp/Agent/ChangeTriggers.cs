using System.Runtime.InteropServices;

namespace K0sNodeIp.Agent;

/// <summary>
/// The triggers besides netlink: SIGHUP (systemctl reload) and a change of a file the target is derived from (a k0s
/// upgrade rewrites the base unit), through inotify, without polling. Each reports a reason to <c>signal</c>.
/// </summary>
internal sealed class ChangeTriggers : IDisposable
{
    private readonly PosixSignalRegistration _sighup;
    private readonly List<FileSystemWatcher> _watchers = [];

    public ChangeTriggers(Action<string> signal, IReadOnlyList<string> files)
    {
        _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            signal("SIGHUP");
        });
        foreach (var file in files)
        {
            Watch(file, signal);
        }
    }

    public void Dispose()
    {
        _sighup.Dispose();
        _watchers.ForEach(w => w.Dispose());
    }

    private void Watch(string file, Action<string> signal)
    {
        if (!Directory.Exists(Path.GetDirectoryName(file)))
        {
            return;
        }

        var watcher = new FileSystemWatcher(Path.GetDirectoryName(file)!, Path.GetFileName(file))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
        };
        FileSystemEventHandler changed = (_, _) => signal($"{file} changed");
        watcher.Changed += changed;
        watcher.Created += changed;
        watcher.Renamed += (_, _) => signal($"{file} replaced");
        // k0s reset (or an uninstall) removes the unit: seen at once, as its changes are.
        watcher.Deleted += (_, _) => signal($"{file} removed");
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }
}

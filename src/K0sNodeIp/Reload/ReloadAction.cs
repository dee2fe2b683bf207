namespace K0sNodeIp.Reload;

/// <summary>What a write asks of systemd.</summary>
internal enum ReloadAction
{
    /// <summary>The arguments changed: daemon-reload for a drop-in, then try-restart (a stopped unit stays stopped).</summary>
    Restart,

    /// <summary>
    /// Only the drop-in's wording, a base command line an upgrade rewrote, or an operator's line changed: daemon-reload
    /// so systemd holds what is on disk, and no restart (the upgrade's own restart applies a new base). Not rate-limited.
    /// </summary>
    DaemonReloadOnly,
}

namespace K0sNodeIp.Reload;

/// <summary>A unit's ActiveState as systemd reports it (org.freedesktop.systemd1(5), "ActiveState").</summary>
internal enum UnitActiveState
{
    Unknown,
    Active,
    Reloading,
    Inactive,
    Failed,

    /// <summary>Starting, or waiting out RestartSec= after its process exited (SubState "auto-restart").</summary>
    Activating,
    Deactivating,
}

namespace K0sNodeIp.Configuration;

/// <summary>How the kubelet picks up a change (<c>Reload:Mode</c>); the configuration's words are <see cref="ReloadModeWords"/>.</summary>
internal enum ReloadMode
{
    /// <summary><c>restart</c>: daemon-reload if a unit drop-in changed, then restart the unit.</summary>
    Restart,

    /// <summary><c>none</c>: write the target (a drop-in is daemon-reloaded, and a start its condition refused is made) and never restart the unit: something else restarts the kubelet.</summary>
    None,
}

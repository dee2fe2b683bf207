namespace K0sNodeIp.Reload;

/// <summary>A restart the kubelet needs after a write.</summary>
/// <param name="DaemonReload">A unit drop-in changed, so systemd must re-read its files first.</param>
/// <param name="Change">What changed, for the log ("192.0.2.10 -> 192.0.2.11 in k0s drop-in for k0sworker.service").</param>
/// <param name="WaitForJob">
/// False while the agent itself is starting: units ordered after it (k0s, kubelet) cannot restart before it is
/// ready, so waiting for their job would deadlock; the job is queued and runs once we are ready.
/// </param>
/// <param name="ContentHash">SHA-256 of the target content this restart applies, so only its completion is recorded.</param>
/// <param name="Action">Restart, or only daemon-reload (either way a start the drop-in's ExecCondition= refused is made).</param>
/// <param name="MayWait">The kubelet's current address is still the node's: the restart may be spread (Reload:RandomDelay).</param>
internal sealed record ReloadRequest(string Unit, bool DaemonReload, string Change, bool WaitForJob = true, string? ContentHash = null, ReloadAction Action = ReloadAction.Restart, bool MayWait = false);

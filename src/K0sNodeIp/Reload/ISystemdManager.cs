namespace K0sNodeIp.Reload;

/// <summary>The systemd manager operations the reloader needs.</summary>
internal interface ISystemdManager
{
    /// <summary>systemctl daemon-reload: systemd re-reads unit files and drop-ins.</summary>
    Task DaemonReloadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Restarts the unit only if it runs (systemd's try-restart: a stopped unit stays stopped); returns the job result
    /// (<see cref="JobResult.Done"/>, failed, timeout, ...), or <see cref="JobResult.Queued"/> when not waiting.
    /// </summary>
    /// <param name="waitForJob">False to only queue the job: a unit ordered after us cannot restart before we are ready.</param>
    Task<JobResult> TryRestartUnitAsync(string unit, bool waitForJob, CancellationToken cancellationToken);

    /// <summary>
    /// True when the unit is active, activating or reloading, or a job will start it again (an operator's restart in
    /// its stop phase): started, and not being stopped.
    /// </summary>
    Task<bool> IsRunningAsync(string unit, CancellationToken cancellationToken);

    /// <summary>The unit's state, its service Result and NRestarts, and its pending job; null when it is not loaded.</summary>
    Task<UnitStatus?> StatusAsync(string unit, CancellationToken cancellationToken);

    /// <summary>Starts the unit (a start the drop-in's ExecCondition= refused, now that the drop-in matches); returns the job result, or <see cref="JobResult.Queued"/>.</summary>
    Task<JobResult> StartUnitAsync(string unit, bool waitForJob, CancellationToken cancellationToken);
}

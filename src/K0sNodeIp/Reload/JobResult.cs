namespace K0sNodeIp.Reload;

/// <summary>
/// How a systemd job ended: the result word of its JobRemoved signal (systemd's own open set: done, canceled, timeout,
/// failed, dependency, skipped, ...), or <see cref="Queued"/> when the agent did not wait for it.
/// </summary>
internal readonly record struct JobResult(string Word)
{
    public static JobResult Done { get; } = new("done");

    /// <summary>Queued without waiting: a unit ordered after us cannot restart before we are ready.</summary>
    public static JobResult Queued { get; } = new("queued");

    /// <summary>The job did what was asked, or was left to run.</summary>
    public bool Succeeded => this == Done || this == Queued;

    public override string ToString() => Word;
}

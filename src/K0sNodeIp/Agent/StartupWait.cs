namespace K0sNodeIp.Agent;

/// <summary>The daemon's wait at start for a family the target expects (Watch:StartupWait).</summary>
/// <param name="Length">How long the wait is.</param>
/// <param name="Over">True once it has passed: the first write goes ahead with what is there.</param>
internal sealed record StartupWait(TimeSpan Length, bool Over);

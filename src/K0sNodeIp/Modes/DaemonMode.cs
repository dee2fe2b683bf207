using K0sNodeIp.Configuration;

namespace K0sNodeIp.Modes;

/// <summary>The daemon (no mode flag): reconcile at start, then on every relevant change, until SIGTERM.</summary>
internal sealed class DaemonMode(K0sNodeIpOptions options, bool dryRun) : IMode
{
    public int Run(TextWriter stdout, TextWriter stderr) => Composition.RunDaemonAsync(options, dryRun).GetAwaiter().GetResult();
}

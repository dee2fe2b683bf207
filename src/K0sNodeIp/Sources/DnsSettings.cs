using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>
/// The operator's overrides of the resolver's limits; each null one comes from /etc/resolv.conf or Go's defaults,
/// as kubelet's own resolver takes them.
/// </summary>
/// <param name="Timeout">Per query (Detection:DnsTimeout).</param>
/// <param name="Attempts">Per query (Detection:DnsAttempts).</param>
/// <param name="Budget">Bound on the whole lookup (Detection:LookupTimeout); null: the resolver's own worst case.</param>
internal sealed record DnsSettings(TimeSpan? Timeout = null, int? Attempts = null, TimeSpan? Budget = null)
{
    public static DnsSettings Default { get; } = new();

    /// <summary>The longest wait a .NET timer (CancelAfter, DnsClient's Timeout) takes: int.MaxValue milliseconds.</summary>
    public static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(int.MaxValue);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The limits that apply to one lookup of <paramref name="names"/> names with <paramref name="conf"/>.</summary>
    public DnsLimits For(ResolvConf conf, int names)
    {
        // Go reads timeout: and attempts: up to 0xFFFFFF (194 days; see ResolvConf); .NET's timers end at 24.8 days, so
        // a longer wait is the longest a timer takes (in practice the same: kubelet would wait as long).
        var timeout = Min(Timeout ?? conf.Timeout, LongestTimer);
        var attempts = Attempts ?? conf.Attempts;

        // Go tries every name, every attempt, every server, each for the timeout (A and AAAA side by side):
        // kubelet waits that long, so must we. A second on top covers the retries' pauses. In seconds as a double:
        // the product of Go's largest values overflows a TimeSpan.
        var worstSeconds = (timeout.TotalSeconds * Math.Max(names, 1) * attempts * Math.Max(conf.Nameservers.Count, 1)) + 1;
        var worstCase = worstSeconds >= LongestTimer.TotalSeconds ? LongestTimer : TimeSpan.FromSeconds(worstSeconds);
        return new DnsLimits(
            timeout,
            Timeout is not null ? "Detection:DnsTimeout" : conf.SetsTimeout ? "/etc/resolv.conf" : "Go's default",
            attempts,
            Attempts is not null ? "Detection:DnsAttempts" : conf.SetsAttempts ? "/etc/resolv.conf" : "Go's default",
            Budget ?? worstCase,
            Budget is not null ? "Detection:LookupTimeout" : "the resolver's worst case");
    }
}

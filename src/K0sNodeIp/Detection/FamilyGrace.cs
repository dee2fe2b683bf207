using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Detection;

/// <summary>
/// Delays the restart a vanished family would cause for a grace period, so a short DHCPv6 or RA blip does not
/// restart the kubelet twice (dual-stack, single-stack, dual-stack again). It never puts an address the node no
/// longer has into the file: while a family is in grace the file is held as it is, and a change of the other
/// family is written (with the current addresses only) when the grace ends, or at once with
/// <c>Watch:WriteDuringGrace</c>.
/// </summary>
internal sealed class FamilyGrace(TimeSpan grace, TimeProvider time, bool writeDuringGrace = false)
{
    private readonly Dictionary<IpFamily, IPAddress> _last = [];
    // Monotonic timestamps: the grace is counted on the monotonic clock, and only shown as a wall-clock time.
    private readonly Dictionary<IpFamily, long> _lostAt = [];

    /// <summary>The pair to write now, or null to hold the file as it is until <paramref name="recheckAt"/>.</summary>
    /// <param name="notes">Why the file is held, or why a family is dropped.</param>
    public NodeIpPair? Apply(NodeIpPair detected, List<string> notes, out DateTimeOffset? recheckAt)
    {
        recheckAt = null;
        var now = time.GetTimestamp();
        var wallNow = time.GetUtcNow();
        var inGrace = new List<(IpFamily Family, IPAddress Address, DateTimeOffset Expires)>();
        foreach (var family in (ReadOnlySpan<IpFamily>)[IpFamily.IPv4, IpFamily.IPv6])
        {
            if (AddressOf(detected, family) is not null)
            {
                _lostAt.Remove(family);
                continue;
            }

            if (!_last.TryGetValue(family, out var last))
            {
                continue;
            }

            var lostAt = _lostAt.TryGetValue(family, out var at) ? at : _lostAt[family] = now;
            var remaining = grace - time.GetElapsedTime(lostAt, now);
            var expires = wallNow + remaining;
            if (remaining > TimeSpan.Zero)
            {
                inGrace.Add((family, last, expires));
                recheckAt = recheckAt is { } earlier && earlier < expires ? earlier : expires;
            }
            else
            {
                _last.Remove(family);
                _lostAt.Remove(family);
                notes.Add($"{family.Name()} address {last} gone for {grace}; going without {family.Name()}");
            }
        }

        if (inGrace.Count == 0)
        {
            Remember(detected);
            return detected;
        }

        var lost = string.Join(", ", inGrace.Select(g => $"{g.Family.Name()} address {g.Address} disappeared; the file keeps it until {g.Expires:u} at the latest (Watch:FamilyGracePeriod)"));
        var changed = new[] { IpFamily.IPv4, IpFamily.IPv6 }
            .Where(f => AddressOf(detected, f) is { } now4 && (!_last.TryGetValue(f, out var before) || !before.Equals(now4)))
            .ToList();
        if (changed.Count == 0)
        {
            notes.Add(lost);
            return null;
        }

        var change = string.Join(", ", changed.Select(f => $"{f.Name()} is now {AddressOf(detected, f)}"));
        if (writeDuringGrace)
        {
            notes.Add($"{lost}; {change}: written at once with the current addresses only (Watch:WriteDuringGrace)");
            Remember(detected);
            foreach (var g in inGrace)
            {
                _last.Remove(g.Family);
                _lostAt.Remove(g.Family);
            }

            return detected;
        }

        notes.Add($"{lost}; {change}: written with the current addresses when the grace ends, never with a vanished address");
        return null;
    }

    /// <summary>
    /// Starts from what the target already holds (a family that vanished while the agent was down is then in grace
    /// from now on, as if it had just gone), for every family not remembered yet.
    /// </summary>
    public void Seed(NodeIpPair fromTarget)
    {
        foreach (var family in (ReadOnlySpan<IpFamily>)[IpFamily.IPv4, IpFamily.IPv6])
        {
            if (fromTarget.AddressOf(family) is { } address)
            {
                _last.TryAdd(family, address);
            }
        }
    }

    /// <summary>The monotonic clock's ticks per second, for a record of <see cref="InGrace"/>.</summary>
    public long TimestampFrequency => time.TimestampFrequency;

    /// <summary>The families in their grace now: the address held for each, and since when it is missing (monotonic, and on the wall clock).</summary>
    public IReadOnlyList<(IpFamily Family, IPAddress Address, long SinceTimestamp, DateTimeOffset Since)> InGrace()
    {
        var now = time.GetTimestamp();
        var wallNow = time.GetUtcNow();
        return [.. _lostAt.Where(l => _last.ContainsKey(l.Key)).OrderBy(l => l.Key).Select(l => (l.Key, _last[l.Key], l.Value, wallNow - time.GetElapsedTime(l.Value, now)))];
    }

    /// <summary>
    /// Continues a grace an earlier run of the agent began in this boot: <paramref name="family"/> has been missing since
    /// <paramref name="sinceTimestamp"/> (the monotonic clock, shared by the processes of one boot), with
    /// <paramref name="address"/> held for it.
    /// </summary>
    public void Continue(IpFamily family, IPAddress address, long sinceTimestamp)
    {
        _last[family] = address;
        _lostAt[family] = Math.Min(sinceTimestamp, time.GetTimestamp());
    }

    private void Remember(NodeIpPair pair)
    {
        foreach (var family in (ReadOnlySpan<IpFamily>)[IpFamily.IPv4, IpFamily.IPv6])
        {
            if (AddressOf(pair, family) is { } address)
            {
                _last[family] = address;
            }
        }
    }

    private static IPAddress? AddressOf(NodeIpPair pair, IpFamily family) => family == IpFamily.IPv4 ? pair.Ipv4 : pair.Ipv6;
}

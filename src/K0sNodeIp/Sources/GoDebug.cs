using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>
/// Reads the netdns setting out of a <c>GODEBUG</c> value as a Go program does: comma-separated <c>name=value</c>
/// pairs where the last one of a name wins (internal/godebug), and in netdns's value the part that does not start
/// with a digit is the mode, on either side of one <c>+</c> (net/conf.go, <c>goDebugNetDNS</c>).
/// </summary>
internal static class GoDebug
{
    /// <summary>The netdns value ("go+1"), or null when <paramref name="godebug"/> sets none.</summary>
    public static string? NetDnsValue(string? godebug)
    {
        if (string.IsNullOrEmpty(godebug))
        {
            return null;
        }

        // The last setting wins; the name ends at its first '='.
        foreach (var setting in godebug.Split(',').Reverse())
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0 && setting[..equals] == "netdns")
            {
                return setting[(equals + 1)..];
            }
        }

        return null;
    }

    /// <summary>The mode a netdns value asks for: only "go" and "cgo" mean anything to the net package.</summary>
    public static GoDebugNetDns NetDnsMode(string? netdns)
    {
        if (string.IsNullOrEmpty(netdns))
        {
            return GoDebugNetDns.Unset;
        }

        // Go splits at the first '+' only: "cgo+go" has the mode "go", "go+cgo" the mode "cgo", "go+1+2" the mode "go".
        var plus = netdns.IndexOf('+', StringComparison.Ordinal);
        string mode = string.Empty;
        foreach (var part in plus < 0 ? [netdns] : new[] { netdns[..plus], netdns[(plus + 1)..] })
        {
            if (part.Length > 0 && part[0] is not (>= '0' and <= '9'))
            {
                mode = part;
            }
        }

        return mode switch
        {
            "go" => GoDebugNetDns.Go,
            "cgo" => GoDebugNetDns.Cgo,
            _ => GoDebugNetDns.Unset,
        };
    }
}

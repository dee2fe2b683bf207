using System.Net;

namespace K0sNodeIp.Sources;

/// <summary>
/// The parts of /etc/resolv.conf that Go's resolver (and so kubelet) uses, with glibc's and Go's defaults:
/// nameservers in order (127.0.0.1 and ::1 when none), the search list (the last <c>search</c> or
/// <c>domain</c> line wins), <c>ndots</c> (default 1, capped at 15), <c>timeout</c> and <c>attempts</c>.
/// </summary>
internal sealed record ResolvConf(
    IReadOnlyList<IPAddress> Nameservers,
    IReadOnlyList<string> Search,
    int Ndots,
    TimeSpan Timeout,
    int Attempts,
    bool Rotate,
    bool UnknownOption = false)
{
    /// <summary>Go's defaults (dnsconfig.go): 5 s per query, 2 attempts.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public const int DefaultAttempts = 2;

    /// <summary>True when /etc/resolv.conf set timeout: or attempts: (else Go's defaults apply).</summary>
    public bool SetsTimeout { get; init; }

    public bool SetsAttempts { get; init; }

    public const string DefaultPath = "/etc/resolv.conf";

    public static ResolvConf Parse(TextReader reader)
    {
        var servers = new List<IPAddress>();
        IReadOnlyList<string> search = [];
        int ndots = 1, attempts = DefaultAttempts;
        var timeout = DefaultTimeout;
        bool rotate = false, unknown = false, setsTimeout = false, setsAttempts = false;
        while (reader.ReadLine() is { } raw)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            switch (fields[0])
            {
                case "nameserver" when fields.Length > 1:
                    // glibc takes at most three nameservers; Go does the same.
                    var text = fields[1].Split('%')[0];
                    if (servers.Count < 3 && IPAddress.TryParse(text, out var server))
                    {
                        servers.Add(server);
                    }

                    break;
                case "domain" when fields.Length > 1:
                    search = [EnsureRooted(fields[1])];
                    break;
                case "search":
                    search = fields.Skip(1).Where(s => s != ".").Select(EnsureRooted).ToArray();
                    break;
                case "options":
                    // Go's dnsconfig_unix.go: digits up to the first non-digit, values clamped as there.
                    foreach (var option in fields.Skip(1))
                    {
                        if (option.StartsWith("ndots:", StringComparison.Ordinal))
                        {
                            ndots = Math.Clamp(LeadingNumber(option, "ndots:".Length), 0, 15);
                        }
                        else if (option.StartsWith("timeout:", StringComparison.Ordinal))
                        {
                            timeout = TimeSpan.FromSeconds(Math.Max(LeadingNumber(option, "timeout:".Length), 1));
                            setsTimeout = true;
                        }
                        else if (option.StartsWith("attempts:", StringComparison.Ordinal))
                        {
                            attempts = Math.Max(LeadingNumber(option, "attempts:".Length), 1);
                            setsAttempts = true;
                        }
                        else if (option == "rotate")
                        {
                            rotate = true;
                        }
                        else if (option is not ("single-request" or "single-request-reopen" or "use-vc" or "usevc" or "tcp" or "trust-ad" or "edns0" or "no-reload"))
                        {
                            unknown = true;
                        }
                    }

                    break;
                case "nameserver" or "domain" or "lookup":
                    break;
                default:
                    // A keyword Go does not know (sortlist, say) sends a cgo-built Go program to glibc.
                    unknown = true;
                    break;
            }
        }

        if (servers.Count == 0)
        {
            servers.Add(IPAddress.Loopback);
            servers.Add(IPAddress.IPv6Loopback);
        }

        return new ResolvConf(servers, search, ndots, timeout, attempts, rotate, unknown) { SetsTimeout = setsTimeout, SetsAttempts = setsAttempts };
    }

    /// <summary>
    /// The fully qualified names to query, in Go's order (<c>dnsConfig.nameList</c>): a name with at
    /// least <c>ndots</c> dots is tried as is first, otherwise after the search domains.
    /// </summary>
    public IReadOnlyList<string> NameList(string name)
    {
        if (name.Length == 0 || name.Length > 254 || (name.Length == 254 && !name.EndsWith('.')))
        {
            return [];
        }

        if (name.EndsWith('.'))
        {
            return [name];
        }

        var hasNdots = name.Count(c => c == '.') >= Ndots;
        var rooted = name + ".";
        var names = new List<string>(Search.Count + 1);
        if (hasNdots)
        {
            names.Add(rooted);
        }

        foreach (var suffix in Search)
        {
            var fqdn = rooted + suffix;
            if (fqdn.Length <= 254)
            {
                names.Add(fqdn);
            }
        }

        if (!hasNdots)
        {
            names.Add(rooted);
        }

        return names;
    }

    private static string EnsureRooted(string domain) => domain.EndsWith('.') ? domain : domain + ".";

    /// <summary>Go's dtoi: the leading decimal digits, capped at 0xFFFFFF (its "big"), so timeout:3000000 is read as Go reads it.</summary>
    private static int LeadingNumber(string option, int start)
    {
        const int GoBig = 0xFFFFFF;
        var value = 0;
        for (var i = start; i < option.Length && char.IsAsciiDigit(option[i]); i++)
        {
            value = (value * 10) + (option[i] - '0');
            if (value >= GoBig)
            {
                return GoBig;
            }
        }

        return value;
    }
}

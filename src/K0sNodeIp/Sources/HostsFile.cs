using System.Net;

namespace K0sNodeIp.Sources;

/// <summary>
/// /etc/hosts as Go's resolver reads it: every line whose names include the host (case-insensitive,
/// trailing dot ignored) contributes its address, in file order.
/// </summary>
public static class HostsFile
{
    public const string DefaultPath = "/etc/hosts";

    public static IReadOnlyList<IPAddress> Lookup(TextReader reader, string name)
    {
        var wanted = Normalize(name);
        var found = new List<IPAddress>();
        while (reader.ReadLine() is { } raw)
        {
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = hash >= 0 ? raw[..hash] : raw;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                continue;
            }

            // Go drops a zone (fe80::1%eth0) it cannot use and skips unparsable addresses.
            var text = fields[0];
            var percent = text.IndexOf('%', StringComparison.Ordinal);
            if (percent >= 0)
            {
                text = text[..percent];
            }

            if (!IPAddress.TryParse(text, out var address))
            {
                continue;
            }

            for (var i = 1; i < fields.Length; i++)
            {
                if (Normalize(fields[i]) == wanted)
                {
                    found.Add(address);
                    break;
                }
            }
        }

        return found;
    }

    private static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();
}

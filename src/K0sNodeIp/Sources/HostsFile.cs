using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>
/// /etc/hosts as Go's resolver reads it (hosts.go): every line whose names include the host contributes its
/// address, in file order. Names compare case-insensitively after Go's <c>absDomainName</c>, which roots only
/// names that contain a dot: <c>node1.example.</c> matches <c>node1.example</c>, but <c>node1.</c> does not
/// match <c>node1</c>. Addresses are parsed as Go parses them (<see cref="GoAddress"/>).
/// </summary>
internal static class HostsFile
{
    public const string DefaultPath = "/etc/hosts";

    public static IReadOnlyList<IPAddress> Lookup(TextReader reader, string name)
    {
        var wanted = AbsoluteName(name);
        var found = new List<IPAddress>();
        while (reader.ReadLine() is { } raw)
        {
            var line = ConfigText.WithoutComment(raw);
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !GoAddress.TryParse(fields[0], out var address))
            {
                continue;
            }

            for (var i = 1; i < fields.Length; i++)
            {
                if (AbsoluteName(fields[i]) == wanted)
                {
                    found.Add(address);
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>Go's absDomainName after lower-casing: a name with a dot gets a trailing dot, others stay as they are.</summary>
    internal static string AbsoluteName(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.Contains('.', StringComparison.Ordinal) && !lower.EndsWith('.') ? lower + "." : lower;
    }
}

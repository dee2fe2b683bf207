using System.Net;
using System.Text.Json;
using K0sNodeIp.Node;

namespace K0sNodeIp.Apply;

/// <summary>A family this node lost: the address the target held for it, and since when it has been missing.</summary>
/// <param name="SinceTimestamp">On the monotonic clock (CLOCK_MONOTONIC: one per boot, shared by every process of it), so a wall-clock step changes nothing.</param>
/// <param name="Since">The same instant on the wall clock, for people reading the log and the file.</param>
internal sealed record FamilyMiss(IpFamily Family, IPAddress Address, long SinceTimestamp, DateTimeOffset Since);

/// <summary>
/// The families missing in this boot, kept beside the state file so that an agent restarted mid-grace (a package
/// upgrade, <c>systemctl restart</c>) continues the grace that began before it, and does not wait at start for a
/// family already known to be gone: the start-up wait is for boots. A record of another boot is no record.
/// </summary>
/// <param name="BootId">The kernel's boot ID (<c>/proc/sys/kernel/random/boot_id</c>) when the misses were seen.</param>
internal sealed record FamilyMisses(string BootId, IReadOnlyList<FamilyMiss> Misses)
{
    private const int SchemaVersion = 1;

    /// <summary>Where the record for <paramref name="statePath"/> is kept: beside it, in the unit's StateDirectory=.</summary>
    public static string PathFor(string statePath) => Path.ChangeExtension(statePath, ".families.json");

    /// <summary>
    /// The misses after a detection (pure): a family detected again is no longer missing; one in its grace is missing
    /// since the grace began (an earlier record's time kept); one whose grace ended stays missing until it comes back.
    /// </summary>
    public static IReadOnlyList<FamilyMiss> After(IReadOnlyList<FamilyMiss> previous, IReadOnlySet<IpFamily> detected, IReadOnlyList<FamilyMiss> inGrace)
    {
        var next = new List<FamilyMiss>();
        foreach (var family in (ReadOnlySpan<IpFamily>)[IpFamily.IPv4, IpFamily.IPv6])
        {
            if (detected.Contains(family))
            {
                continue;
            }

            var before = previous.FirstOrDefault(m => m.Family == family);
            var now = inGrace.FirstOrDefault(m => m.Family == family);
            if (now is not null)
            {
                next.Add(before is not null && before.Address.Equals(now.Address) && before.SinceTimestamp < now.SinceTimestamp ? before : now);
            }
            else if (before is not null)
            {
                next.Add(before);
            }
        }

        return next;
    }

    /// <summary>The misses recorded in boot <paramref name="bootId"/>; none when the file is absent, unreadable, or of another boot.</summary>
    /// <param name="frequency">The monotonic clock's ticks per second (a record in other units is no record).</param>
    public static IReadOnlyList<FamilyMiss> Load(string path, string bootId, long frequency)
    {
        try
        {
            if (bootId.Length == 0 || !File.Exists(path))
            {
                return [];
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != SchemaVersion || root.GetProperty("bootId").GetString() != bootId
                || root.GetProperty("timestampFrequency").GetInt64() != frequency)
            {
                return [];
            }

            return [.. root.GetProperty("missing").EnumerateArray().Select(m => new FamilyMiss(
                Enum.Parse<IpFamily>(m.GetProperty("family").GetString()!),
                IPAddress.Parse(m.GetProperty("address").GetString()!),
                m.GetProperty("sinceTimestamp").GetInt64(),
                DateTimeOffset.Parse(m.GetProperty("since").GetString()!, System.Globalization.CultureInfo.InvariantCulture)))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            return [];
        }
    }

    /// <summary>Writes the record atomically (temporary file, fsync, rename).</summary>
    public void Save(string path, long frequency)
    {
        AtomicFileWriter.ReplaceJson(path, json =>
        {
            json.WriteNumber("version", SchemaVersion);
            json.WriteString("bootId", BootId);
            json.WriteNumber("timestampFrequency", frequency);
            json.WriteStartArray("missing");
            foreach (var miss in Misses)
            {
                json.WriteStartObject();
                json.WriteString("family", miss.Family.Name());
                json.WriteString("address", miss.Address.ToString());
                json.WriteNumber("sinceTimestamp", miss.SinceTimestamp);
                json.WriteString("since", miss.Since.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
    }
}

using System.Text;
using System.Text.Json;
using K0sNodeIp.Detection;
using K0sNodeIp.Node;
using K0sNodeIp.Policy;

namespace K0sNodeIp.Report;

/// <summary>The machine-readable form of --print: one JSON object, written without reflection.</summary>
internal static class JsonReport
{
    public static string Render(DesiredState desired)
    {
        var decision = desired.Detection.Decision;
        var snapshot = desired.Detection.Snapshot;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            WriteAddress(json, "ipv4", desired.Pair.Ipv4);
            WriteAddress(json, "ipv6", desired.Pair.Ipv6);
            json.WriteString("nodeIpFlag", desired.Pair.IsEmpty ? null : desired.Pair.Flag);
            json.WriteString("primaryFamily", desired.Pair.Primary.Name());
            json.WriteString("primaryFamilySource", desired.Primary.Origin);
            json.WriteString("hostname", snapshot.Hostname);

            json.WriteStartObject("lookup");
            json.WriteString("method", snapshot.Lookup.Method.Word);
            json.WriteStartArray("answers");
            foreach (var answer in snapshot.Lookup.Answers)
            {
                json.WriteStringValue(answer.ToString());
            }

            json.WriteEndArray();
            json.WriteString("error", snapshot.Lookup.Error);
            json.WriteBoolean("faulted", snapshot.Lookup.Faulted);
            if (snapshot.Lookup.Resolver is { } resolver)
            {
                json.WriteString("resolver", resolver.Name);
                json.WriteString("resolverReason", resolver.Reason);
            }

            if (snapshot.Lookup.Dns is { } dns)
            {
                json.WriteStartObject("dns");
                json.WriteNumber("timeoutSeconds", dns.Timeout.TotalSeconds);
                json.WriteString("timeoutSource", dns.TimeoutOrigin);
                json.WriteNumber("attempts", dns.Attempts);
                json.WriteString("attemptsSource", dns.AttemptsOrigin);
                json.WriteNumber("budgetSeconds", dns.Budget.TotalSeconds);
                json.WriteString("budgetSource", dns.BudgetOrigin);
                json.WriteEndObject();
            }

            json.WriteEndObject();

            json.WriteStartObject("kubeletPick");
            WriteAddress(json, "ipv4", decision.Ipv4Decision.KubeletPick);
            WriteAddress(json, "ipv6", decision.Ipv6Decision.KubeletPick);
            json.WriteEndObject();

            json.WriteStartArray("candidates");
            foreach (var c in decision.Ipv4Decision.Candidates.Concat(decision.Ipv6Decision.Candidates))
            {
                json.WriteStartObject();
                json.WriteString("address", c.Address.ToString());
                json.WriteString("family", c.Family.Name());
                json.WriteString("source", c.Source.DisplayName());
                json.WriteString("interface", c.Interface);
                json.WriteBoolean("accepted", c.Accepted);
                json.WriteString("reason", c.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStringArray("overrideFailures", decision.OverrideWarnings);
            if (desired.KeptForSettings.Count > 0)
            {
                // Only when it happens, so that every other report stays as it was.
                json.WriteStartArray("keptForSettings");
                foreach (var keep in desired.KeptForSettings)
                {
                    json.WriteStartObject();
                    json.WriteString("family", keep.Family.Name());
                    json.WriteString("address", keep.Address.ToString());
                    json.WriteString("setting", keep.Setting);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteStringArray("notes", Families.SelectMany(f => decision.For(f).Notes.Select(n => $"{f.Name()}: {n}")));
            json.WriteStringArray("beyondKubelet", Families.Select(decision.For).Where(f => f.Divergence is not null).Select(f => $"{f.Family.Name()}: {f.Divergence}"));
            json.WriteStaticKubelet("staticKubelet", desired.StaticKubelet);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static readonly IpFamily[] Families = [IpFamily.IPv4, IpFamily.IPv6];

    private static void WriteAddress(Utf8JsonWriter json, string name, System.Net.IPAddress? address)
    {
        if (address is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, address.ToString());
        }
    }
}

using System.Text.Json;
using K0sNodeIp.Detection;

namespace K0sNodeIp.Report;

/// <summary>The JSON shapes the hand-written reports (--print --json, --check --json) share.</summary>
internal static class JsonWriterExtensions
{
    public static void WriteStringArray(this Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>
    /// What an upgrade to a static kubelet would pick, when the kubelet here asks glibc: both pairs, whether they differ,
    /// the sentence --print and --check show, and the lookup with Go's resolver. Nothing is written when
    /// <paramref name="outlook"/> is null (that lookup was not made).
    /// </summary>
    public static void WriteStaticKubelet(this Utf8JsonWriter json, string name, StaticKubeletOutlook? outlook)
    {
        if (outlook is null)
        {
            return;
        }

        json.WriteStartObject(name);
        json.WriteString("nodeIp", outlook.After.IsEmpty ? null : outlook.After.Value);
        json.WriteString("nodeIpNow", outlook.Now.IsEmpty ? null : outlook.Now.Value);
        json.WriteBoolean("changes", outlook.Changes);
        json.WriteString("note", outlook.Note);
        json.WriteStartObject("lookup");
        json.WriteString("method", outlook.Lookup.Method.Word);
        json.WriteStringArray("answers", outlook.Lookup.Answers.Select(a => a.ToString()));
        json.WriteString("error", outlook.Lookup.Error);
        json.WriteBoolean("faulted", outlook.Lookup.Faulted);
        json.WriteString("resolver", outlook.Lookup.Resolver?.Name);
        json.WriteString("resolverReason", outlook.Lookup.Resolver?.Reason);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

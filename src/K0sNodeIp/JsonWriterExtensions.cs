using System.Text.Json;

namespace K0sNodeIp;

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
}

using System.Text;
using K0sNodeIp.Detection;
using K0sNodeIp.Formats;
using K0sNodeIp.Node;
using K0sNodeIp.Policy;

namespace K0sNodeIp.Report;

/// <summary>The human-readable explanation printed by --print.</summary>
internal static class TextReport
{
    private static readonly string[] Header = ["FAMILY", "ADDRESS", "SOURCE", "INTERFACE", "TAKEN", "REASON"];

    public static string Render(DesiredState desired)
    {
        var decision = desired.Detection.Decision;
        var snapshot = desired.Detection.Snapshot;
        var primary = desired.Pair.Primary;
        var text = new StringBuilder();
        text.AppendLine(desired.Pair.IsEmpty ? "no node IP found" : desired.Pair.Flag);
        foreach (var family in Order(primary))
        {
            var f = decision.For(family);
            var chosen = f.Chosen is { } address ? $"{address} ({f.ChosenSource?.DisplayName()})"
                : desired.KeptForSettings.FirstOrDefault(k => k.Family == family) is { } keep
                    ? $"{keep.Address} (kept from the target: {keep.Setting} leaves {family.Name()} with no usable address; fix the setting)"
                    : "none";
            text.Append("  ").Append(family.Name()).Append("  ").AppendLine(chosen);
        }

        text.Append("  order: ").Append(primary.Name()).Append(" first (").Append(desired.Primary.Origin).AppendLine(")");
        text.AppendLine();
        var lookup = snapshot.Lookup;
        text.Append("hostname ").Append(One(snapshot.Hostname)).Append(", lookup (").Append(lookup.Method.Word).Append("): ")
            .AppendLine(lookup.Answers.Count > 0 ? string.Join(", ", lookup.Answers) : One(lookup.Error ?? "no answer"));
        if (lookup.Resolver is { } resolver)
        {
            text.Append("resolver: ").Append(resolver.Name).Append(" (").Append(resolver.Reason).AppendLine(")");
        }

        if (lookup.Dns is { } dns)
        {
            text.Append("dns: ").AppendLine(dns.Describe());
        }

        text.AppendLine();

        var rows = new List<string[]> { Header };
        foreach (var family in Order(primary))
        {
            rows.AddRange(decision.For(family).Candidates.Select(c => new[]
            {
                c.Family.Name(), c.Address.ToString(), c.Source.DisplayName(), One(c.Interface ?? "-"), c.Accepted ? "yes" : "no", One(c.Reason),
            }));
        }

        if (rows.Count == 1)
        {
            text.AppendLine("no candidate addresses");
        }
        else
        {
            var widths = Enumerable.Range(0, 5).Select(i => rows.Max(r => r[i].Length)).ToArray();
            foreach (var row in rows)
            {
                for (var i = 0; i < 5; i++)
                {
                    text.Append(row[i].PadRight(widths[i] + 2));
                }

                text.AppendLine(row[5]);
            }
        }

        // A failed lookup is on the lookup line above; the notes say what is each family's own.
        var notes = Order(primary).SelectMany(f => decision.For(f).Notes.Select(n => $"{f.Name()}: {One(n)}")).ToList();
        if (notes.Count > 0)
        {
            text.AppendLine().AppendLine("notes:");
            notes.ForEach(n => text.Append("  - ").AppendLine(n));
        }

        var beyond = Order(primary).Select(decision.For).Where(f => f.Divergence is not null).ToList();
        if (beyond.Count > 0)
        {
            text.AppendLine().AppendLine("beyond kubelet:");
            beyond.ForEach(f => text.Append("  - ").Append(f.Family.Name()).Append(": ").AppendLine(One(f.Divergence!)));
        }

        if (desired.StaticKubelet is { } upgrade)
        {
            var go = upgrade.Lookup;
            text.AppendLine().AppendLine("upgrade:");
            text.Append("  - ").AppendLine(One(upgrade.Note));
            text.Append("  - Go's lookup (").Append(go.Method.Word).Append("): ")
                .AppendLine(go.Answers.Count > 0 ? string.Join(", ", go.Answers) : One(go.Error ?? "no answer"));
        }

        return OutsideText.Escape(text.ToString(), keepLineBreaks: true);
    }

    /// <summary>A value from outside (a snapshot, DNS, an interface) on one line of the page: its own line breaks escaped.</summary>
    private static string One(string value) => OutsideText.Escape(value);

    private static IpFamily[] Order(IpFamily primary) => [primary, primary.Other()];
}

using System.Text.Json;
using K0sNodeIp.Check;
using K0sNodeIp.Formats;

namespace K0sNodeIp.Report;

/// <summary>--check's answer in words and as JSON.</summary>
internal static class CheckReport
{
    public static string RenderText(DriftReport report)
    {
        var text = new System.Text.StringBuilder();
        text.Append(One(report.Summary)).Append('\n');
        text.Append("detected: ").Append(report.Detected ?? "(nothing)").Append('\n');
        text.Append("target:   ").Append(One(report.Target.Readable ? report.Target.NodeIp ?? (report.Target.Exists ? "(no --node-ip)" : "(no such file)") : "(unreadable)"))
            .Append(" in ").Append(One(report.Target.Path))
            .Append(report.Target.ExecStartOverriddenBy is { } winner ? $" (ExecStart= replaced by {One(winner)})" : "").Append('\n');
        if (report.Kubelets.Count == 0)
        {
            text.Append("kubelet:  not found\n");
        }

        foreach (var kubelet in report.Kubelets)
        {
            text.Append("kubelet:  ").Append(One(kubelet.NodeIp ?? "(no --node-ip)")).Append(" (PID ").Append(kubelet.Pid)
                .Append(kubelet.Parent is null ? "" : ", child of " + One(kubelet.Parent)).Append(kubelet.Why is null ? "" : ", " + One(kubelet.Why)).Append(")\n");
        }

        foreach (var note in report.Notes)
        {
            text.Append("note:     ").Append(One(note)).Append('\n');
        }

        if (report.StaticKubelet is { } upgrade)
        {
            text.Append("upgrade:  ").Append(upgrade.Note).Append('\n');
        }

        return OutsideText.Escape(text.ToString(), keepLineBreaks: true);
    }

    /// <summary>A value from outside (a kubelet's argv, a file's error) on one line of the report: its own line breaks escaped.</summary>
    private static string One(string value) => OutsideText.Escape(value);

    public static string RenderJson(DriftReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status switch { DriftStatus.Agree => "ok", DriftStatus.Differ => "drift", _ => "unknown" });
            json.WriteNumber("exitCode", report.ExitCode);
            json.WriteString("summary", report.Summary);
            json.WriteString("detected", report.Detected);
            json.WriteStartObject("target");
            json.WriteString("path", report.Target.Path);
            json.WriteBoolean("readable", report.Target.Readable);
            json.WriteBoolean("exists", report.Target.Exists);
            json.WriteString("nodeIp", report.Target.NodeIp);
            json.WriteString("error", report.Target.Error);
            json.WriteString("execStartOverriddenBy", report.Target.ExecStartOverriddenBy);
            json.WriteEndObject();
            json.WriteBoolean("kubeletFound", report.KubeletFound);
            json.WriteStartArray("kubelets");
            foreach (var kubelet in report.Kubelets)
            {
                json.WriteStartObject();
                json.WriteNumber("pid", kubelet.Pid);
                json.WriteString("nodeIp", kubelet.NodeIp);
                json.WriteString("parent", kubelet.Parent);
                json.WriteString("trustedBecause", kubelet.Why);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStringArray("differences", report.Differences);
            json.WriteStringArray("notes", report.Notes);
            json.WriteStaticKubelet("staticKubelet", report.StaticKubelet);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}

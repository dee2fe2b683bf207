using System.Globalization;
using System.Text;
using K0sNodeIp.Check;

namespace K0sNodeIp.Metrics;

/// <summary>
/// Renders the metrics in Prometheus' text exposition format (version 0.0.4), as node_exporter's textfile
/// collector reads it, and reads the counters back from a previous file so they survive restarts and --once runs.
/// </summary>
internal static class PrometheusTextfile
{
    public const string Prefix = "k0s_node_ip_";
    public const string Info = Prefix + "info";
    public const string Drift = Prefix + "drift";
    public const string CheckStatus = Prefix + "check_status";
    public const string KubeletFound = Prefix + "kubelet_found";
    public const string LastSuccess = Prefix + "last_success_timestamp_seconds";
    public const string LastLookup = Prefix + "last_lookup_duration_seconds";
    public const string Restarts = Prefix + "restarts_total";
    public const string Reconciles = Prefix + "reconciles_total";
    public const string Writes = Prefix + "writes_total";
    public const string DetectionFailures = Prefix + "detection_failures_total";
    public const string RestartFailures = Prefix + "restart_failures_total";
    public const string UnitFailuresAfterRestart = Prefix + "unit_failures_after_restart_total";
    public const string UnitFailing = Prefix + "unit_failed_after_restart";
    public const string ExecStartOverridden = Prefix + "exec_start_overridden";

    public static string Render(MetricsSnapshot m)
    {
        var text = new StringBuilder();
        if (m.PrimaryFamily is not null)
        {
            Header(text, Info, "gauge", "The node IP pair detected now (always 1; the addresses are in the labels, empty when a family is not detected).");
            text.Append(Info).Append("{ipv4=\"").Append(Escape(m.Ipv4 ?? "")).Append("\",ipv6=\"").Append(Escape(m.Ipv6 ?? ""))
                .Append("\",primary_family=\"").Append(Escape(m.PrimaryFamily)).Append("\"} 1\n");
        }

        if (m.Drift is { } drift)
        {
            if (drift != DriftStatus.Unknown)
            {
                Header(text, Drift, "gauge", "1 when detection, the target file and the running kubelet's --node-ip do not all agree, 0 when they do (absent when it cannot tell).");
                Sample(text, Drift, drift == DriftStatus.Differ ? 1 : 0);
            }

            Header(text, CheckStatus, "gauge", "The drift check's result as k0s-node-ip --check exits: 0 agree, 1 differ, 3 cannot tell.");
            Sample(text, CheckStatus, (int)drift);
            Header(text, KubeletFound, "gauge", "1 when a running kubelet process was found and compared, 0 when none runs.");
            Sample(text, KubeletFound, m.KubeletFound ? 1 : 0);
        }

        if (m.LastSuccess is { } success)
        {
            Header(text, LastSuccess, "gauge", "Unix time of the end of the last successful reconcile (the target holds the detected pair).");
            Sample(text, LastSuccess, success.ToUnixTimeMilliseconds() / 1000.0);
        }

        if (m.LastLookupSeconds is { } lookup)
        {
            Header(text, LastLookup, "gauge", "Duration of the last detection: reading the node, the hostname lookup and the choice.");
            Sample(text, LastLookup, lookup);
        }

        if (m.UnitFailing is { } failing)
        {
            Header(text, UnitFailing, "gauge", "1 when the unit failed (or waits out its RestartSec=) after the agent's last restart of it, 0 when it came up.");
            Sample(text, UnitFailing, failing ? 1 : 0);
        }

        if (m.ExecStartOverridden is { } overridden)
        {
            Header(text, ExecStartOverridden, "gauge", "1 when a later drop-in of the unit replaces the ExecStart= (with --node-ip) that the agent writes.");
            Sample(text, ExecStartOverridden, overridden ? 1 : 0);
        }

        Header(text, UnitFailuresAfterRestart, "counter", "Restarts by the agent after which the unit failed.");
        Sample(text, UnitFailuresAfterRestart, m.UnitFailuresAfterRestart);
        Header(text, Restarts, "counter", "Restarts of the kubelet's unit that completed.");
        Sample(text, Restarts, m.Restarts);
        Header(text, DetectionFailures, "counter", "Detections that failed or found no address (the target was kept).");
        Sample(text, DetectionFailures, m.DetectionFailures);
        Header(text, RestartFailures, "counter", "Restarts of the kubelet's unit that failed after their retries.");
        Sample(text, RestartFailures, m.RestartFailures);
        Header(text, Reconciles, "counter", "Reconciles made: each detection of the daemon, each --once run.");
        Sample(text, Reconciles, m.Reconciles);
        Header(text, Writes, "counter", "Writes of the target file: a new pair, or only a new base command line or wording.");
        Sample(text, Writes, m.Writes);
        return text.ToString();
    }

    /// <summary>The value of an unlabelled sample in a previous file, or 0 when absent or unreadable.</summary>
    public static long CounterIn(string? text, string name)
    {
        if (text is null)
        {
            return 0;
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal)
                && double.TryParse(line.AsSpan(name.Length + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && value is >= 0 and < long.MaxValue)
            {
                return (long)value;
            }
        }

        return 0;
    }

    /// <summary>The last-success time in a previous file, or null.</summary>
    public static DateTimeOffset? TimestampIn(string? text, string name)
    {
        foreach (var line in text?.Split('\n') ?? [])
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal)
                && double.TryParse(line.AsSpan(name.Length + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && seconds is > 0 and < 253402300799)
            {
                return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
            }
        }

        return null;
    }

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    internal static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, double value) =>
        text.Append(name).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
}

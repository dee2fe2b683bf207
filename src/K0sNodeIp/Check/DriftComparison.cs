using System.Net;

namespace K0sNodeIp.Check;

/// <summary>
/// Compares what detection gives now, what the target file holds and what the running kubelet was started with.
/// Pure: the inputs are read elsewhere. Values are compared address by address in order (the first address is
/// the primary family, which matters to kubelet), so "2001:DB8::1" and "2001:db8::1" agree.
/// </summary>
internal static class DriftComparison
{
    /// <param name="passedOver">Processes named kubelet that were not compared, each with its reason.</param>
    /// <param name="whyNoPair">Why <paramref name="detected"/> is missing, when it is not that detection found no address.</param>
    public static DriftReport Compare(string? detected, TargetReading target, IReadOnlyList<KubeletProcess> kubelets, IReadOnlyList<string>? passedOver = null, string? whyNoPair = null)
    {
        var notes = new List<string>();
        if (string.IsNullOrEmpty(detected))
        {
            notes.Add(whyNoPair is null ? "detection found no address, so there is nothing to compare with" : $"{whyNoPair}, so there is nothing to compare with");
        }

        if (!target.Readable)
        {
            notes.Add($"cannot read the target {target.Path}: {target.Error}");
        }

        if (kubelets.Count == 0)
        {
            notes.Add(passedOver is { Count: > 0 } ? "kubelet not found (no process named kubelet that is root's and in the unit)" : "kubelet not found (no running process named kubelet)");
        }

        // Named, so an operator sees what was left out and why; a flood of impostors is summed up, not listed.
        const int Listed = 5;
        foreach (var passed in (passedOver ?? []).Take(Listed))
        {
            notes.Add($"not compared: {passed}");
        }

        if (passedOver is { Count: > Listed })
        {
            notes.Add($"not compared: {passedOver.Count - Listed} more processes named kubelet");
        }

        // Whatever detection gives, the unit does not start with the target's command line: the file that wins is named.
        var overridden = target.ExecStartOverriddenBy is { } winner
            ? $"{winner} sets ExecStart= after {target.Path}: the unit starts with that command line, not with the --node-ip in {target.Path}"
            : null;
        if (string.IsNullOrEmpty(detected) || !target.Readable)
        {
            return new DriftReport(DriftStatus.Unknown, detected, target, kubelets, [], overridden is null ? notes : [.. notes, overridden]);
        }

        var differences = new List<string>();
        if (overridden is not null)
        {
            differences.Add(overridden);
        }

        if (!Same(detected, target.NodeIp))
        {
            differences.Add($"{target.Path} has {Show(target.NodeIp)}, detection gives --node-ip={detected}");
        }

        foreach (var kubelet in kubelets)
        {
            var who = $"the running kubelet (PID {kubelet.Pid}{(kubelet.Parent is null ? "" : $", child of {kubelet.Parent}")}{(kubelet.Why is null ? "" : $", {kubelet.Why}")}) was started with {Show(kubelet.NodeIp)}";
            if (!Same(kubelet.NodeIp, target.NodeIp))
            {
                // The file is ahead of the kubelet: its restart is still owed (or failed, or the file was edited by hand).
                differences.Add($"{who}, {target.Path} has {Show(target.NodeIp)}");
            }
            else if (!Same(kubelet.NodeIp, detected))
            {
                differences.Add($"{who}, detection gives --node-ip={detected}");
            }
        }

        return new DriftReport(differences.Count == 0 ? DriftStatus.Agree : DriftStatus.Differ, detected, target, kubelets, differences, notes);
    }

    private static string Show(string? nodeIp) => nodeIp is null ? "no --node-ip" : $"--node-ip={nodeIp}";

    /// <summary>Equal as ordered address lists; text that is not an address list is compared as text.</summary>
    internal static bool Same(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        var left = Normalize(a);
        var right = Normalize(b);
        return left is not null && right is not null ? left.SequenceEqual(right) : a.Trim() == b.Trim();
    }

    private static IPAddress[]? Normalize(string value)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        var addresses = new IPAddress[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!IPAddress.TryParse(parts[i], out var address))
            {
                return null;
            }

            addresses[i] = address;
        }

        return addresses;
    }
}

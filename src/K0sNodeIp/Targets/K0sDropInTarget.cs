using K0sNodeIp.Node;

namespace K0sNodeIp.Targets;

/// <summary>
/// A drop-in for the k0s worker unit that clears ExecStart and sets it again to the unit's own command
/// line with <c>--node-ip</c> merged into <c>--kubelet-extra-args</c>: k0s reads kubelet flags from no other
/// place. The base command line is re-read from the unit file on every render, so a k0s upgrade that
/// rewrites the unit is followed.
/// </summary>
internal sealed class K0sDropInTarget(string unitDirectory, string unit, string dropInName, string? k0sConfigPath) : INodeIpTarget
{
    public const string ExtraArgsFlag = "--kubelet-extra-args";


    public string UnitPath => System.IO.Path.Combine(unitDirectory, unit + ".service");

    public string Path => System.IO.Path.Combine(unitDirectory, unit + ".service.d", dropInName);

    public string Description => $"k0s drop-in for {unit}.service";

    public bool IsUnitDropIn => true;

    public IReadOnlyList<string> WatchedFiles => [UnitPath];

    public IReadOnlyList<string> PrimaryFamilyFiles() => [ConfigPath()];

    /// <summary>The k0s config k0s itself reads: Target:K0sConfig, else the unit's --config, else k0s's default.</summary>
    private string ConfigPath()
    {
        var configPath = k0sConfigPath;
        if (configPath is null && File.Exists(UnitPath))
        {
            configPath = K0sConfigFile.ConfigPathFromArguments(BaseCommandLine().Words);
        }

        return configPath ?? K0sConfigFile.DefaultPath;
    }

    public PrimaryFamilyChoice DefaultPrimaryFamily()
    {
        var configPath = ConfigPath();
        if (!File.Exists(configPath))
        {
            return new PrimaryFamilyChoice(IpFamily.IPv4, $"default, no k0s config at {configPath}");
        }

        try
        {
            using var reader = new StreamReader(configPath);
            var (family, key) = ReadPrimaryFamily(reader, configPath);
            return new PrimaryFamilyChoice(family, key is null ? $"default, the k0s config {configPath} sets none" : $"k0s config {configPath}: {key}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TargetException($"cannot read the k0s config {configPath}: {e.Message}", e);
        }
    }

    public IReadOnlyList<VirtualIp> VirtualIps()
    {
        try
        {
            using var reader = new StreamReader(ConfigPath());
            return K0sConfigFile.VirtualIps(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TargetException)
        {
            // No config (a worker-only node) or a bad one (the primary-family rule reports that): no VIP known.
            return [];
        }
    }

    public IReadOnlySet<IpFamily> ExpectedFamilies(string? current)
    {
        var families = new HashSet<IpFamily>(INodeIpTarget.FamiliesIn(NodeIpOf(current)));
        try
        {
            using var reader = new StreamReader(ConfigPath());
            if (K0sConfigFile.DualStackEnabled(reader))
            {
                families.Add(IpFamily.IPv4);
                families.Add(IpFamily.IPv6);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TargetException)
        {
            // No config (a worker-only node) or a bad one: only the drop-in's own pair says what to wait for.
        }

        return families;
    }

    private static (IpFamily Family, string? Key) ReadPrimaryFamily(TextReader reader, string configPath)
    {
        try
        {
            return K0sConfigFile.PrimaryFamilyAndKey(reader);
        }
        catch (TargetException e)
        {
            throw new TargetException($"{configPath}: {e.Message}", e);
        }
    }

    public string Render(NodeIpPair pair, string? current)
    {
        var command = BaseCommandLine();
        var words = command.Words.ToList();
        var at = LastExtraArgs(words);
        if (at is { } found)
        {
            words[found.ValueIndex] = found.Prefix + KubeletArgs.Merge(words[found.ValueIndex][found.Prefix.Length..], pair.Flag);
        }
        else
        {
            words.Add($"{ExtraArgsFlag}={pair.Flag}");
        }

        var execStart = (command with { Words = words }).Render();
        return $"""
            # Written by k0s-node-ip: the command line of {unit}.service with kubelet's --node-ip added.
            # Rewritten when the node's addresses or the unit change; removed when k0s-node-ip is purged.
            [Service]
            ExecStart=
            ExecStart={execStart}

            """;
    }

    public string? EffectiveArguments(string? content)
    {
        if (content is null)
        {
            return null;
        }

        try
        {
            // One word per line: unambiguous, since words never hold a newline k0s would see.
            return string.Join('\n', SystemdCommandLine.Parse(UnitFile.ExecStart(content, Path)).Words);
        }
        catch (TargetException)
        {
            return null;
        }
    }

    public string? NodeIpOf(string? content)
    {
        if (content is null)
        {
            return null;
        }

        try
        {
            var words = SystemdCommandLine.Parse(UnitFile.ExecStart(content, Path)).Words;
            return LastExtraArgs(words) is { } found ? KubeletArgs.NodeIp(words[found.ValueIndex][found.Prefix.Length..]) : null;
        }
        catch (TargetException)
        {
            return null;
        }
    }

    private SystemdCommandLine BaseCommandLine()
    {
        if (!File.Exists(UnitPath))
        {
            throw new TargetException($"{UnitPath} does not exist: is the k0s worker installed (k0s install worker)? Set Target:Unit for another unit name");
        }

        string execStart;
        try
        {
            execStart = UnitFile.ExecStart(AtomicFileWriter.Bytes.GetString(File.ReadAllBytes(UnitPath)), UnitPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TargetException($"cannot read {UnitPath}: {e.Message}", e);
        }

        try
        {
            return SystemdCommandLine.Parse(execStart);
        }
        catch (TargetException e)
        {
            throw new TargetException($"{UnitPath}: ExecStart=: {e.Message}", e);
        }
    }

    /// <summary>Where the last --kubelet-extra-args value is (k0s keeps the last one given).</summary>
    private static (int ValueIndex, string Prefix)? LastExtraArgs(IReadOnlyList<string> words)
    {
        (int, string)? found = null;
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i] == ExtraArgsFlag && i + 1 < words.Count)
            {
                found = (i + 1, string.Empty);
                i++;
            }
            else if (words[i].StartsWith(ExtraArgsFlag + "=", StringComparison.Ordinal))
            {
                found = (i, ExtraArgsFlag + "=");
            }
        }

        return found;
    }
}

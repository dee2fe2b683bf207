using K0sNodeIp.Formats;
using K0sNodeIp.Node;

namespace K0sNodeIp.Targets;

/// <summary>
/// A drop-in for the k0s unit that runs the kubelet (k0sworker, or k0scontroller with its worker enabled) that clears
/// ExecStart and sets it again to the unit's own command line with <c>--node-ip</c> merged into
/// <c>--kubelet-extra-args</c>: k0s reads kubelet flags from no other place. The base command line is re-read from the
/// unit file on every render, so a k0s upgrade that rewrites the unit is followed.
/// </summary>
/// <param name="configuredUnit">Target:Unit; null: the unit is chosen from the unit files at each read (<see cref="K0sUnitChoice"/>).</param>
internal sealed class K0sDropInTarget(string unitDirectory, string? configuredUnit, string dropInName, string? k0sConfigPath) : INodeIpTarget
{
    public const string ExtraArgsFlag = "--kubelet-extra-args";

    // Set by the read stage only (Locate), before anything reads Path: one reconcile sees one choice. Volatile: the
    // reloader's deferred restart and the metrics read it from other threads.
    private volatile K0sUnitChoice _choice = configuredUnit is null
        ? new K0sUnitChoice(K0sUnitChoice.Worker, K0sUnitRole.NotInstalled)
        : new K0sUnitChoice(configuredUnit, K0sUnitRole.Configured);

    /// <summary>The unit chosen at the last read, and what it runs.</summary>
    public K0sUnitChoice Choice => _choice;

    /// <summary>The unit whose drop-in this is: Target:Unit, else the chosen k0s unit (k0sworker while none is installed).</summary>
    public string Unit => _choice.Unit;

    public string UnitPath => UnitPathOf(Unit);

    private string UnitPathOf(string name) => System.IO.Path.Combine(unitDirectory, ServiceUnitName.Full(name));

    public string Path => System.IO.Path.Combine(unitDirectory, ServiceUnitName.DropInFolder(Unit), dropInName);

    public string Description => $"k0s drop-in for {Unit}.service";

    public bool IsUnitDropIn => true;

    /// <summary>The unit file; without Target:Unit, both k0s units' files: installing, replacing or removing either may change the choice.</summary>
    public IReadOnlyList<string> WatchedFiles => configuredUnit is null ? [.. K0sUnitChoice.Units.Select(UnitPathOf)] : [UnitPath];

    public IReadOnlyList<string> SourceFiles => [UnitPath];

    /// <summary>
    /// Without Target:Unit: the agent's drop-in of each k0s unit that is not the chosen one, and the chosen one's too when
    /// it runs no kubelet or none is installed (a worker reinstalled as a controller, k0s reset): a copy of a command line
    /// no longer k0s's, whose ExecCondition= would refuse its starts.
    /// </summary>
    public IReadOnlyList<string> StaleOwnFiles => configuredUnit is not null ? []
        : [.. K0sUnitChoice.Units
            .Where(u => u != Unit || _choice.Role is K0sUnitRole.ControllerOnly or K0sUnitRole.NotInstalled)
            .Select(u => System.IO.Path.Combine(unitDirectory, ServiceUnitName.DropInFolder(u), dropInName))];

    public bool WrittenByAgent(string content) => UnitFile.Entries(content).Any(e => e.Key == "ExecCondition" && e.Value.StartsWith(ConditionMarker, StringComparison.Ordinal));

    public IReadOnlyList<string> FirstStartUnits => configuredUnit is null ? K0sUnitChoice.Units : [configuredUnit];

    /// <summary>Restarting the controller restarts this node's control plane too.</summary>
    public bool RestartsControlPlane => _choice.Role == K0sUnitRole.ControllerWithWorker || (_choice.Role == K0sUnitRole.Configured && Unit == K0sUnitChoice.Controller);

    /// <summary>Chooses the unit from the unit files (the worker's first: the controller's is read only when there is no worker).</summary>
    public void Locate(ITargetFiles files)
    {
        if (configuredUnit is null)
        {
            var worker = files.Text(UnitPathOf(K0sUnitChoice.Worker));
            _choice = K0sUnitChoice.Choose(worker, worker is null ? files.Text(UnitPathOf(K0sUnitChoice.Controller)) : null);
        }
    }

    public void ReadInputs(ITargetFiles files)
    {
        try
        {
            _ = files.Text(ConfigPath(files.Text(UnitPath)));
        }
        catch (TargetException)
        {
            // The unit's command line cannot be read: rendering says so, and there is no config path to read.
        }

        var searchPath = UnitDropIns.SearchPathFor(unitDirectory);
        foreach (var path in LaterDropIns(searchPath, ServiceUnitName.Full(Unit), files.ConfNames))
        {
            _ = files.Text(path);
        }
    }

    public IReadOnlyList<string> PrimaryFamilyFiles(TargetInputs inputs) => [ConfigPath(inputs)];

    /// <summary>The k0s config k0s itself reads: Target:K0sConfig, else the unit's --config, else k0s's default.</summary>
    private string ConfigPath(TargetInputs inputs) =>
        inputs.Errors.TryGetValue(UnitPath, out var error) && k0sConfigPath is null
            ? throw new TargetException($"cannot read {UnitPath}: {error}")
            : ConfigPath(inputs.Text(UnitPath));

    private string ConfigPath(string? unitText)
    {
        var configPath = k0sConfigPath;
        if (configPath is null && unitText is not null)
        {
            configPath = K0sConfigFile.ConfigPathFromArguments(BaseCommandLine(unitText).Words);
        }

        return configPath ?? K0sConfigFile.DefaultPath;
    }

    public PrimaryFamilyChoice DefaultPrimaryFamily(TargetInputs inputs)
    {
        var configPath = ConfigPath(inputs);
        if (inputs.Errors.TryGetValue(configPath, out var error))
        {
            throw new TargetException($"cannot read the k0s config {configPath}: {error}");
        }

        if (inputs.Text(configPath) is not { } config)
        {
            return new PrimaryFamilyChoice(IpFamily.IPv4, $"default, no k0s config at {configPath}");
        }

        using var reader = new StringReader(config);
        var (family, key) = ReadPrimaryFamily(reader, configPath);
        return new PrimaryFamilyChoice(family, key is null ? $"default, the k0s config {configPath} sets none" : $"k0s config {configPath}: {key}");
    }

    public IReadOnlyList<VirtualIp> VirtualIps(TargetInputs inputs)
    {
        try
        {
            return inputs.Text(ConfigPath(inputs)) is { } config ? K0sConfigFile.VirtualIps(new StringReader(config)) : [];
        }
        catch (TargetException)
        {
            // A bad unit or config (the primary-family rule reports that): no VIP known.
            return [];
        }
    }

    public IReadOnlySet<IpFamily> ExpectedFamilies(TargetInputs inputs)
    {
        var families = new HashSet<IpFamily>(INodeIpTarget.FamiliesIn(NodeIpOf(inputs.Current)));
        try
        {
            if (inputs.Text(ConfigPath(inputs)) is { } config && K0sConfigFile.DualStackEnabled(new StringReader(config)))
            {
                families.Add(IpFamily.IPv4);
                families.Add(IpFamily.IPv6);
            }
        }
        catch (TargetException)
        {
            // A bad unit or config: only the drop-in's own pair says what to wait for.
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

    /// <summary>Starts the drop-in's ExecCondition= command: a no-op word that marks it as ours (an operator's own ExecCondition= is kept).</summary>
    internal const string ConditionMarker = "/bin/sh -c ': k0s-node-ip;";

    public string Render(NodeIpPair pair, TargetInputs inputs)
    {
        var current = INodeIpTarget.CurrentOf(inputs);
        var unitText = UnitText(inputs);
        var command = BaseCommandLine(unitText);
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
        var rendered = new System.Text.StringBuilder($"""
            # Written by k0s-node-ip: the command line of {Unit}.service with kubelet's --node-ip added.
            # Rewritten when the node's addresses or the unit change; removed when k0s-node-ip is removed.
            [Service]
            ExecStart=
            ExecStart={execStart}
            # That command line is a copy: a start after the unit file changed (an upgrade) is refused until
            # k0s-node-ip has copied it again, and k0s-node-ip then makes that start. Needs only sh, sha256sum and systemctl.
            ExecCondition={Condition(unitText)}

            """);
        var foreign = ForeignLinesBySection(current);

        // Lines before any header, which systemd ignores, stay before the first one: kept, never made to count.
        if (foreign.FirstOrDefault(group => group.Section.Length == 0) is { Lines: { } outside })
        {
            var header = rendered.ToString().IndexOf("[Service]\n", StringComparison.Ordinal);
            rendered.Insert(header, string.Concat(outside.Select(line => line + "\n")));
        }

        if (foreign.Any(group => group.Section.Length > 0))
        {
            rendered.Append($"# Kept from an edit by hand: k0s-node-ip does not write these lines. Better in a drop-in of your own, e.g. {LocalDropInPath}\n");
            // Each group under its own header, [Service] again after another section: a line kept under the header it had.
            var open = "[Service]";
            foreach (var (section, lines) in foreign)
            {
                if (section.Length == 0)
                {
                    continue;
                }

                if (section != open)
                {
                    rendered.Append(section).Append('\n');
                    open = section;
                }

                foreach (var line in lines)
                {
                    rendered.Append(line).Append('\n');
                }
            }
        }

        return rendered.ToString();
    }

    /// <summary>Where an operator's own settings belong: a drop-in beside ours that systemd reads before it.</summary>
    public string LocalDropInPath => System.IO.Path.Combine(unitDirectory, ServiceUnitName.DropInFolder(Unit), "40-local.conf");

    /// <summary>
    /// The lines of <paramref name="current"/> that the agent does not write (an operator's hand edit), in order, as
    /// "[Section] line"; never dropped by a rewrite.
    /// </summary>
    public IReadOnlyList<string> ForeignLines(string? current) =>
        ForeignLinesBySection(current).SelectMany(group => group.Lines.Select(line => group.Section is "[Service]" or "" ? line : $"{group.Section} {line}")).ToList();

    private static List<(string Section, List<string> Lines)> ForeignLinesBySection(string? current)
    {
        var groups = new List<(string Section, List<string> Lines)>();
        if (current is null)
        {
            return groups;
        }

        foreach (var entry in UnitFile.Entries(current))
        {
            if (entry.Section == "[Service]" && (entry.Key == "ExecStart" || (entry.Key == "ExecCondition" && entry.Value.StartsWith(ConditionMarker, StringComparison.Ordinal))))
            {
                continue;
            }

            if (groups.Count == 0 || groups[^1].Section != entry.Section)
            {
                groups.Add((entry.Section, []));
            }

            groups[^1].Lines.Add(entry.Text);
        }

        return groups;
    }

    /// <summary>
    /// The ExecCondition= command: exit 0 (start) while the unit file is the one the copy was made from; else, while the
    /// agent runs, exit 1 (systemd skips the start without marking the unit failed, and Restart= does not repeat it) and
    /// ask the agent to re-derive (systemctl reload: SIGHUP). With the agent stopped the start goes ahead as before.
    /// Only sh, sha256sum and systemctl: a removed agent binary can never stop k0s from starting. <c>$$</c> is systemd's
    /// escape for <c>$</c>; no <c>%</c> is used (a specifier).
    /// </summary>
    private string Condition(string unitText)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(FileText.Bytes.GetBytes(unitText)));
        return ConditionMarker + $" h=$$(sha256sum < {ShellWordInUnit(UnitPath)}) || exit 0; [ \"$$h\" = \"{hash}  -\" ] && exit 0; "
            + "systemctl is-active --quiet k0s-node-ip.service || exit 0; "
            + $"echo {ShellWordInUnit($"{Unit}.service changed since k0s-node-ip copied its command line: start refused; k0s-node-ip copies it again and starts it")} >&2; "
            + "systemctl --no-block reload k0s-node-ip.service; exit 1'";
    }

    /// <summary>
    /// <paramref name="text"/> as one shell word (double-quoted: \, ", $ and ` escaped) inside the condition's systemd
    /// single-quoted word, where systemd reads C escapes (\ and ' escaped), specifiers (% doubled) and variables ($
    /// doubled): a space, % or $ in Target:UnitDirectory, or a systemd escape in a unit name, stays part of the path.
    /// </summary>
    internal static string ShellWordInUnit(string text)
    {
        var shell = "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("$", "\\$", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal) + "\"";
        return shell.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)
            .Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal);
    }

    /// <summary>
    /// The later drop-in (systemd's merge order, every folder of the search path) that replaces the ExecStart= this one
    /// sets, or null when ours is what runs (or is not there).
    /// </summary>
    public string? ExecStartOverriddenBy(TargetInputs inputs) =>
        LaterDropIns(UnitDropIns.SearchPathFor(unitDirectory), ServiceUnitName.Full(Unit), inputs.Listing)
            .LastOrDefault(file => inputs.Text(file) is { } text && UnitFile.ExecStartValues(text).Any());

    /// <summary>The drop-ins systemd applies after this one (its merge order, every folder of the search path).</summary>
    private IEnumerable<string> LaterDropIns(IReadOnlyList<string> searchPath, string unitFileName, Func<string, IReadOnlyList<string>> confNames)
    {
        // This one counts as there: the question is asked of the drop-in as it is, or as it is about to be, written.
        var ours = System.IO.Path.GetFileName(Path);
        var ordered = UnitDropIns.Ordered(searchPath, unitFileName, folder =>
            folder == System.IO.Path.GetDirectoryName(Path) && !confNames(folder).Contains(ours) ? [.. confNames(folder), ours] : confNames(folder));
        return ordered.SkipWhile(p => p != Path).Skip(1);
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

    private string UnitText(TargetInputs inputs)
    {
        if (inputs.Errors.TryGetValue(UnitPath, out var error))
        {
            throw new TargetException($"cannot read {UnitPath}: {error}");
        }

        if (_choice.Role == K0sUnitRole.ControllerOnly)
        {
            throw new UnitAbsentException($"{UnitPath} runs no kubelet (a controller without --enable-worker or --single): nothing to write on a controller-only node", K0sUnitRole.ControllerOnly);
        }

        return inputs.Text(UnitPath) ?? throw new UnitAbsentException(_choice.Role == K0sUnitRole.NotInstalled
            ? $"{UnitPath} does not exist, nor {UnitPathOf(K0sUnitChoice.Controller)}: is k0s installed (k0s install worker, or controller --enable-worker or --single)? Target:Unit names another unit"
            : $"{UnitPath} does not exist: is it installed? Target:Unit={Unit} names it", _choice.Role);
    }

    private SystemdCommandLine BaseCommandLine(string unitText)
    {
        var execStart = UnitFile.ExecStart(unitText, UnitPath);

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
    private static (int ValueIndex, string Prefix)? LastExtraArgs(IReadOnlyList<string> words) => KubeletArgs.LastFlag(words, [ExtraArgsFlag]);
}

using K0sNodeIp.Node;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Sources;

/// <summary>Chooses, per lookup, the resolver the kubelet of this node would use, and runs the lookup with it.</summary>
internal sealed class SystemHostLookup(
    ResolverMode mode,
    DnsSettings dns,
    ISourceAddressProbe probe,
    Func<ITargetFiles, KubeletBuild> kubelet,
    string nsswitchPath = NsSwitch.DefaultPath,
    string resolvConfPath = ResolvConf.DefaultPath,
    string hostsPath = HostsFile.DefaultPath) : IHostLookup
{
    public Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken) =>
        LookupAsync(name, new TargetFileReader(), cancellationToken);

    public async Task<HostLookupResult> LookupAsync(string name, ITargetFiles files, CancellationToken cancellationToken)
    {
        // Read once for the whole lookup: the resolver choice, glibc's limits and Go's DNS queries all take this copy.
        var resolvConf = ResolvConfFile.Read(resolvConfPath);
        var conf = resolvConf.Conf;
        var nsswitch = ReadNsSwitch(out var nsswitchUnreadable);
        var facts = new ResolverFiles(nsswitchUnreadable, MdnsAllowExists());
        var choice = ResolverSelection.Decide(mode, () => kubelet(files), nsswitch, resolvConf.Unreadable || conf.UnknownOption, name, MachineHostname(), facts);
        if (choice.UsesGlibc)
        {
            var limits = GlibcLimits(conf, conf.NameList(name).Count);
            var answered = await new GlibcHostLookup(limits.Budget).LookupAsync(name, cancellationToken);
            return answered with { Resolver = choice, Dns = limits };
        }

        var result = await new GoStyleHostLookup(dns, probe, resolvConf, choice.Order, hostsPath).LookupAsync(name, cancellationToken);
        return result with { Resolver = choice };
    }

    /// <summary>
    /// Go's resolver over the same files, as a static kubelet would ask it; only when the kubelet here is a cgo build
    /// (Detection:Resolver=Auto) whose lookup went to glibc, since otherwise an upgrade to a static kubelet changes nothing.
    /// </summary>
    public async Task<HostLookupResult?> LookupAsStaticKubeletAsync(string name, HostLookupResult asKubelet, CancellationToken cancellationToken)
    {
        if (mode != ResolverMode.Auto || asKubelet.Resolver is not { UsesGlibc: true })
        {
            return null;
        }

        var resolvConf = ResolvConfFile.Read(resolvConfPath);
        var nsswitch = ReadNsSwitch(out var nsswitchUnreadable);
        var files = new ResolverFiles(nsswitchUnreadable, MdnsAllowExists());
        var choice = ResolverSelection.StaticKubelet(nsswitch, resolvConf.Unreadable || resolvConf.Conf.UnknownOption, name, MachineHostname(), files);
        var result = await new GoStyleHostLookup(dns, probe, resolvConf, choice.Order, hostsPath).LookupAsync(name, cancellationToken);
        return result with { Resolver = choice };
    }

    /// <summary>
    /// glibc reads resolv.conf's timeout and attempts itself (defaults 5 s and 2, as Go's), so Detection:DnsTimeout and
    /// DnsAttempts cannot change them; only an explicit Detection:LookupTimeout bounds the wait.
    /// </summary>
    private DnsLimits GlibcLimits(ResolvConf conf, int names)
    {
        var own = DnsSettings.Default.For(conf, names);
        var ignored = dns.Timeout is not null || dns.Attempts is not null ? "; Detection:DnsTimeout/DnsAttempts do not apply to glibc" : string.Empty;
        return own with
        {
            TimeoutOrigin = (conf.SetsTimeout ? "/etc/resolv.conf, read by glibc" : "glibc's default") + ignored,
            AttemptsOrigin = conf.SetsAttempts ? "/etc/resolv.conf, read by glibc" : "glibc's default",
            Budget = dns.Budget ?? own.Budget,
            BudgetOrigin = dns.Budget is null ? own.BudgetOrigin : "Detection:LookupTimeout",
        };
    }

    private IReadOnlyList<NsSource>? ReadNsSwitch(out bool unreadable)
    {
        unreadable = false;
        try
        {
            using var reader = new StreamReader(nsswitchPath);
            return NsSwitch.HostsSources(reader);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            unreadable = true;
            return null;
        }
    }

    private static bool? MdnsAllowExists()
    {
        try
        {
            return File.Exists(ResolverFiles.MdnsAllowPath) || Directory.Exists(ResolverFiles.MdnsAllowPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string MachineHostname()
    {
        try
        {
            return System.Net.Dns.GetHostName();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return string.Empty;
        }
    }
}

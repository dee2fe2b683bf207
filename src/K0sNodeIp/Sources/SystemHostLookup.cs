namespace K0sNodeIp.Sources;

/// <summary>How the hostname lookup is done.</summary>
public enum ResolverMode
{
    /// <summary>As the kubelet that runs here: Go's resolver for a static kubelet, Go's cgo rules for a dynamic one.</summary>
    Auto,

    /// <summary>Always Go's resolver semantics (hosts file, DnsClient, RFC 6724 sort).</summary>
    Go,

    /// <summary>Always glibc's getaddrinfo.</summary>
    Glibc,
}

/// <summary>Chooses, per lookup, the resolver the kubelet of this node would use, and runs the lookup with it.</summary>
public sealed class SystemHostLookup(
    ResolverMode mode,
    DnsSettings dns,
    ISourceAddressProbe probe,
    Func<KubeletBuild> kubelet,
    string nsswitchPath = NsSwitch.DefaultPath,
    string resolvConfPath = ResolvConf.DefaultPath,
    string hostsPath = HostsFile.DefaultPath) : IHostLookup
{
    public async Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken)
    {
        var conf = ReadResolvConf(out var resolvConfUnreadable);
        var choice = ResolverChoice.Decide(mode, kubelet, ReadNsSwitch(), resolvConfUnreadable || conf.UnknownOption, name, MachineHostname());
        IHostLookup lookup = choice.UsesGlibc
            ? new GlibcHostLookup(dns.For(conf, conf.NameList(name).Count).Budget)
            : new GoStyleHostLookup(dns, probe, choice.Order, hostsPath, resolvConfPath);
        var result = await lookup.LookupAsync(name, cancellationToken);
        return result with { Resolver = choice };
    }

    private IReadOnlyList<NsSource>? ReadNsSwitch()
    {
        try
        {
            using var reader = new StreamReader(nsswitchPath);
            return NsSwitch.HostsSources(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private ResolvConf ReadResolvConf(out bool unreadable)
    {
        unreadable = false;
        try
        {
            using var reader = new StreamReader(resolvConfPath);
            return ResolvConf.Parse(reader);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ResolvConf.Parse(TextReader.Null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            unreadable = e is not UnauthorizedAccessException;
            return ResolvConf.Parse(TextReader.Null);
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

using K0sNodeIp.Node;
using YamlDotNet.RepresentationModel;

namespace K0sNodeIp.Formats;

/// <summary>
/// k0s's primary address family from its config: <c>spec.network.primaryAddressFamily</c>, else the family of
/// <c>spec.api.externalAddress</c>, else of <c>spec.api.address</c>, else IPv4 (k0s docs, dual-stack page).
/// Read with YamlDotNet's representation model, which needs no reflection.
/// </summary>
internal static class K0sConfigFile
{
    public const string DefaultPath = "/etc/k0s/k0s.yaml";

    /// <summary>The primary family and the config key it came from (null: none set, IPv4 by default).</summary>
    public static (IpFamily Family, string? Key) PrimaryFamilyAndKey(TextReader yaml)
    {
        var stream = Load(yaml);

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return (IpFamily.IPv4, null);
        }

        var spec = Child(root, "spec");
        var declared = Scalar(Child(spec, "network"), "primaryAddressFamily");
        if (string.Equals(declared, "IPv6", StringComparison.OrdinalIgnoreCase))
        {
            return (IpFamily.IPv6, "spec.network.primaryAddressFamily");
        }

        if (string.Equals(declared, "IPv4", StringComparison.OrdinalIgnoreCase))
        {
            return (IpFamily.IPv4, "spec.network.primaryAddressFamily");
        }

        var api = Child(spec, "api");
        foreach (var key in (ReadOnlySpan<string>)["externalAddress", "address"])
        {
            if (Scalar(api, key) is { Length: > 0 } value)
            {
                return (GoAddress.TryParse(value, out var address) ? address.Family() : IpFamily.IPv4, $"spec.api.{key}");
            }
        }

        return (IpFamily.IPv4, null);
    }

    /// <summary>True when the config asks for dual-stack networking (<c>spec.network.dualStack.enabled: true</c>).</summary>
    /// <exception cref="TargetException">The config is not valid YAML.</exception>
    public static bool DualStackEnabled(TextReader yaml)
    {
        var stream = Load(yaml);

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return false;
        }

        var enabled = Scalar(Child(Child(Child(root, "spec"), "network"), "dualStack"), "enabled");
        return string.Equals(enabled, "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The virtual IPs of k0s's control-plane load balancing (keepalived, k0s docs "cplb"): every
    /// <c>spec.network.controlPlaneLoadBalancing.keepalived.vrrpInstances[].virtualIPs[]</c> ("192.0.2.100/24") and
    /// <c>virtualServers[].ipAddress</c>. They float between controllers; none may become a node IP.
    /// </summary>
    /// <exception cref="TargetException">The config is not valid YAML, or nested deeper than <see cref="MaxDepth"/>.</exception>
    public static IReadOnlyList<VirtualIp> VirtualIps(TextReader yaml)
    {
        // The depth-checked loader, as the other rules read it: a hostile nesting must not overflow the stack here either.
        var stream = Load(yaml);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return [];
        }

        const string Keepalived = "spec.network.controlPlaneLoadBalancing.keepalived";
        var keepalived = Child(Child(Child(Child(root, "spec"), "network"), "controlPlaneLoadBalancing"), "keepalived");
        var found = new List<VirtualIp>();
        var instances = Sequence(keepalived, "vrrpInstances");
        for (var i = 0; i < instances.Count; i++)
        {
            var ips = Sequence(instances[i] as YamlMappingNode, "virtualIPs");
            for (var j = 0; j < ips.Count; j++)
            {
                if ((ips[j] as YamlScalarNode)?.Value is { } cidr && GoAddress.TryParse(cidr.Split('/')[0], out var address))
                {
                    found.Add(new VirtualIp(address, $"{Keepalived}.vrrpInstances[{i}].virtualIPs[{j}]"));
                }
            }
        }

        var servers = Sequence(keepalived, "virtualServers");
        for (var i = 0; i < servers.Count; i++)
        {
            if (Scalar(servers[i] as YamlMappingNode, "ipAddress") is { } text && GoAddress.TryParse(text, out var address))
            {
                found.Add(new VirtualIp(address, $"{Keepalived}.virtualServers[{i}].ipAddress"));
            }
        }

        return found;
    }

    /// <summary>The --config / -c path among k0s's arguments, or null.</summary>
    public static string? ConfigPathFromArguments(IReadOnlyList<string> words) => KubeletArgs.LastFlagValue(words, ["--config", "-c"]);

    /// <summary>Deeper than any k0s config nests (spec.network.dualStack.enabled is 4).</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The document, after a pass of the event parser (a state machine, not recursive) has checked the nesting depth and
    /// refused aliases: the representation model recurses per level, and a config nested 200,000 levels deep overflowed
    /// the stack; it also resolves aliases into shared nodes, which a hostile chain or cycle turns into a hang or a crash.
    /// </summary>
    /// <exception cref="TargetException">Not valid YAML, nested deeper than <see cref="MaxDepth"/>, or with an alias.</exception>
    private static YamlStream Load(TextReader yaml)
    {
        var text = yaml.ReadToEnd();
        var stream = new YamlStream();
        try
        {
            var parser = new YamlDotNet.Core.Parser(new StringReader(text));
            var depth = 0;
            while (parser.MoveNext())
            {
                if (parser.Current is YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart && ++depth > MaxDepth)
                {
                    throw new TargetException($"k0s config nests deeper than {MaxDepth} levels (at line {parser.Current.Start.Line}); no k0s config does");
                }

                if (parser.Current is YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd)
                {
                    depth--;
                }

                // An alias shares a node: a chain of them expands without bound (a billion laughs), and one inside its own
                // anchor (? &a [*a]) is a cycle the representation model recurses into until the stack overflows.
                if (parser.Current is YamlDotNet.Core.Events.AnchorAlias alias)
                {
                    throw new TargetException($"k0s config uses a YAML alias (*{alias.Value} at line {alias.Start.Line}); no k0s config does, and aliases are refused");
                }
            }

            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new TargetException($"k0s config is not valid YAML: {e.Message}", e);
        }

        return stream;
    }

    private static YamlMappingNode? Child(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    private static IReadOnlyList<YamlNode> Sequence(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence ? [.. sequence.Children] : [];

    private static string? Scalar(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;
}

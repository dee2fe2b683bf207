using System.Net;
using YamlDotNet.RepresentationModel;
using K0sNodeIp.Node;

namespace K0sNodeIp.Targets;

/// <summary>
/// k0s's primary address family from its config: <c>spec.network.primaryAddressFamily</c>, else the family of
/// <c>spec.api.externalAddress</c>, else of <c>spec.api.address</c>, else IPv4 (k0s docs, dual-stack page).
/// Read with YamlDotNet's representation model, which needs no reflection.
/// </summary>
internal static class K0sConfigFile
{
    public const string DefaultPath = "/etc/k0s/k0s.yaml";

    public static IpFamily PrimaryFamily(TextReader yaml) => PrimaryFamilyAndKey(yaml).Family;

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

    /// <summary>The --config / -c path among k0s's arguments, or null.</summary>
    public static string? ConfigPathFromArguments(IReadOnlyList<string> words)
    {
        string? path = null;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word is "--config" or "-c" && i + 1 < words.Count)
            {
                path = words[++i];
            }
            else if (word.StartsWith("--config=", StringComparison.Ordinal))
            {
                path = word["--config=".Length..];
            }
            else if (word.StartsWith("-c=", StringComparison.Ordinal))
            {
                path = word[3..];
            }
        }

        return path;
    }

    /// <summary>Deeper than any k0s config nests (spec.network.dualStack.enabled is 4).</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The document, after a pass of the event parser (a state machine, not recursive) has checked the nesting depth:
    /// the representation model recurses per level, and a config nested 200,000 levels deep overflowed the stack.
    /// </summary>
    /// <exception cref="TargetException">Not valid YAML, or nested deeper than <see cref="MaxDepth"/>.</exception>
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

    private static string? Scalar(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;
}

using CsCheck;
using K0sNodeIp.Formats;
using K0sNodeIp.Native.Netlink;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Tests.Properties;

/// <summary>
/// Parsers under random input: any input gives a result or the parser's typed error, never another exception;
/// rendering then parsing gives back what was rendered.
/// </summary>
public sealed class ParserPropertyTests
{
    private const long Iterations = 3000;

    /// <summary>Text that looks enough like the files to get past the first checks: words, hex, quotes, escapes, line ends.</summary>
    private static readonly Gen<string> FileLikeText =
        Gen.OneOf(
                Gen.Const("Iface"), Gen.Const("00000000"), Gen.Const("0100FE0A"), Gen.Const(new string('0', 32)),
                Gen.Const("20010db8000000000000000000000001"), Gen.Const("eth0"), Gen.Const("ExecStart="), Gen.Const("[Service]"),
                Gen.Const("KUBELET_EXTRA_ARGS="), Gen.Const("nameserver"), Gen.Const("search"), Gen.Const("options"), Gen.Const("ndots:"),
                Gen.Const("\""), Gen.Const("'"), Gen.Const("\\"), Gen.Const("\\x2"), Gen.Const("\\u00"), Gen.Const("%"), Gen.Const("$"),
                Gen.Const("#"), Gen.Const("="), Gen.Const(" "), Gen.Const("\t"), Gen.Const("\n"), Gen.Const("\r\n"),
                Gen.String[0, 12], Gen.Int[-5, 300].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Array[0, 60]
            .Select(parts => string.Concat(parts));

    private static readonly Gen<string> AnyText = Gen.OneOf(FileLikeText, Gen.String);

    [Fact]
    public void Route_files_parse_or_give_a_route_file_error() =>
        AnyText.Sample(text =>
        {
            Expect<RouteFileFormatException>(() => RouteFileParser.ParseIpv4(new StringReader(text)));
            Expect<RouteFileFormatException>(() => RouteFileParser.ParseIpv6(new StringReader(text)));
        }, iter: Iterations);

    [Fact]
    public void Resolv_conf_hosts_and_nsswitch_always_parse() =>
        AnyText.Sample(text =>
        {
            var conf = ResolvConf.Parse(new StringReader(text));
            Assert.NotEmpty(conf.Nameservers);
            Assert.InRange(conf.Ndots, 0, 15);
            _ = conf.NameList("node1");
            _ = HostsFile.Lookup(new StringReader(text), "node1");
            _ = NsSwitch.HostsModules(new StringReader(text));
        }, iter: Iterations);

    [Fact]
    public void Unit_exec_start_parses_or_gives_a_target_error() =>
        AnyText.Sample(text =>
        {
            Expect<TargetException>(() => SystemdCommandLine.Parse(UnitFile.ExecStart(text, "unit")));
            Expect<TargetException>(() => SystemdCommandLine.Parse(text));
        }, iter: Iterations);

    [Fact]
    public void Command_line_render_then_parse_returns_the_words() =>
        Gen.String[0, 20].Where(w => !w.Contains('%') && !w.Contains('$')).Array[0, 8].Sample(arguments =>
        {
            // The executable is an absolute path: a first word starting with a prefix character (@-:+!) has no spelling.
            string[] words = ["/usr/bin/x", .. arguments];
            var rendered = new SystemdCommandLine(string.Empty, words).Render();
            Assert.Equal(words, SystemdCommandLine.Parse(rendered).Words);
        }, iter: Iterations);

    [Fact]
    public void Environment_file_merge_never_throws_and_reads_back_the_node_ip() =>
        AnyText.Sample(text =>
        {
            var merged = EnvironmentFileEditor.Update(text, "KUBELET_EXTRA_ARGS", old => KubeletArgs.Merge(old, "--node-ip=192.0.2.10,2001:db8::10"));
            Assert.Equal("192.0.2.10,2001:db8::10", KubeletArgs.NodeIp(EnvironmentFileEditor.Read(merged, "KUBELET_EXTRA_ARGS")!));
        }, iter: Iterations);

    [Fact]
    public void Kubelet_args_merge_keeps_other_flags_and_sets_the_node_ip() =>
        Gen.OneOf(Gen.Const("--node-ip"), Gen.Const("--node-ip=1.2.3.4"), Gen.Const("--v=2"), Gen.Const("--max-pods=10"), Gen.Const("x"), Gen.Const("-"))
            .Array[0, 10].Sample(tokens =>
            {
                var merged = KubeletArgs.Merge(string.Join(' ', tokens), "--node-ip=a");
                Assert.Equal("a", KubeletArgs.NodeIp(merged));
                Assert.Equal(tokens.Count(t => t.StartsWith("--v", StringComparison.Ordinal)), merged.Split(' ').Count(t => t.StartsWith("--v", StringComparison.Ordinal)));
            }, iter: Iterations);

    [Fact]
    public void Netlink_messages_parse_or_give_a_format_error() =>
        Gen.Byte.Array[0, 80].Sample(bytes =>
        {
            Expect<FormatException>(() =>
            {
                var reader = new NetlinkMessageReader(bytes);
                while (reader.TryRead(out _, out _, out _))
                {
                }
            });
            Expect<FormatException>(() => NetlinkParser.ParseLink(bytes));
            Expect<FormatException>(() => NetlinkParser.ParseAddress(bytes));
            Expect<FormatException>(() => NetlinkParser.ParseRoute(bytes));
        }, iter: Iterations);

    /// <summary>Runs <paramref name="parse"/>; only <typeparamref name="TError"/> may come out of it.</summary>
    private static void Expect<TError>(Action parse)
        where TError : Exception
    {
        try
        {
            parse();
        }
        catch (TError)
        {
        }
    }

    private static void Expect<TError>(Func<object?> parse)
        where TError : Exception => Expect<TError>(() => { _ = parse(); });
}

using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// Runs wherever k0s runs: the shipped binaries need glibc 2.17 at most and their packages say so, the amd64
/// .deb installs and works in a Debian 11 root, and the arm64 binary gives the amd64 answers under qemu-user.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class PortabilityTests
{
    private const string Version = "0.1.0";
    private const string SysrootCache = "/var/cache/k0s-node-ip-tests";

    [Fact]
    public void Glibc_check_compares_versions_numerically_and_reads_only_the_version_needs()
    {
        const string Readelf = """
            Version symbols section '.gnu.version' contains 3 entries:
             Addr: 0x0000000000000ba8  Offset: 0x000ba8  Link: 6 (.dynsym)
              000:   0 (*local*)       2 (GLIBC_2.34)
            Version needs section '.gnu.version_r' contains 2 entries:
             Addr: 0x0000000000000bb0  Offset: 0x000bb0  Link: 7 (.dynstr)
              000000: Version: 1  File: libm.so.6  Cnt: 1
              0x0010:   Name: GLIBC_2.2.5  Flags: none  Version: 4
              0x0020: Version: 1  File: libc.so.6  Cnt: 3
              0x0030:   Name: GLIBC_2.3.4  Flags: none  Version: 5
              0x0040:   Name: GLIBC_2.17  Flags: none  Version: 3
              0x0050:   Name: GLIBC_2.9  Flags: none  Version: 2
            """;

        var versions = GlibcVersions.Parse(Readelf);

        // 2.17 is above 2.9 and 2.3.4 (a string comparison would say otherwise); the symbol table's GLIBC_2.34
        // names no needed version and is not counted.
        Assert.Equal(new System.Version[] { new(2, 2, 5), new(2, 3, 4), new(2, 9), new(2, 17) }, versions);
        Assert.True(versions.Max() <= GlibcVersions.Target);
        Assert.True(GlibcVersions.Parse(Readelf.Replace("GLIBC_2.9 ", "GLIBC_2.29 ", StringComparison.Ordinal)).Max() > GlibcVersions.Target);
        Assert.Throws<FormatException>(() => GlibcVersions.Parse(Readelf.Replace("GLIBC_2.9 ", "GLIBC_PRIVATE ", StringComparison.Ordinal)));
        Assert.Throws<FormatException>(() => GlibcVersions.Parse("no version information"));
    }

    [RootTheory]
    [InlineData("amd64", "Advanced Micro Devices X86-64")]
    [InlineData("arm64", "AArch64")]
    public void Shipped_binary_needs_glibc_2_17_at_most_and_both_packages_declare_what_it_needs(string arch, string machine)
    {
        var deb = Packages.Deb(Version, arch);
        var rpm = Packages.Rpm(Version, arch);
        var dir = Directory.CreateTempSubdirectory("k0snip-glibc").FullName;
        try
        {
            ProcessRunner.Run("dpkg-deb", "-x", deb, Path.Combine(dir, "deb"));
            var binary = Path.Combine(dir, "deb", "usr", "bin", "k0s-node-ip");
            Assert.Contains($"Machine: {machine}", Regex.Replace(ProcessRunner.Run("readelf", "-h", binary).Stdout, @"\s+", " "), StringComparison.Ordinal);

            var needed = GlibcVersions.Needed(binary);
            var highest = needed.Max()!;
            Assert.True(highest <= GlibcVersions.Target, $"{arch} binary needs GLIBC_{highest}: {string.Join(' ', needed)}");

            // .deb: the declared floor is exactly what the binary needs.
            Assert.Equal(arch, ProcessRunner.Run("dpkg-deb", "-f", deb, "Architecture").Stdout.Trim());
            Assert.Contains($"libc6 (>= {highest})", ProcessRunner.Run("dpkg-deb", "-f", deb, "Depends").Stdout, StringComparison.Ordinal);

            // .rpm: the same binary, and rpm's automatic requirements name no glibc above it.
            Assert.Equal(Packages.RpmArch(arch), ProcessRunner.Run("rpm", "-qp", "--qf", "%{ARCH}", rpm).Stdout.Trim());
            var rpmBinary = Path.Combine(dir, "rpm-k0s-node-ip");
            ProcessRunner.Run("sh", "-c", $"rpm2cpio '{rpm}' | cpio --quiet -i --to-stdout ./usr/bin/k0s-node-ip > '{rpmBinary}'");
            Assert.Equal(Sha256(binary), Sha256(rpmBinary));
            var requires = ProcessRunner.Run("rpm", "-qp", "--requires", rpm).Stdout;
            var rpmGlibc = RpmGlibc().Matches(requires).Select(m => System.Version.Parse(m.Groups[1].Value)).ToList();
            Assert.Contains(rpmGlibc, v => v == highest);
            Assert.All(rpmGlibc, v => Assert.True(v <= highest, $"rpm requires GLIBC_{v}"));
            Assert.Contains("libc.so.6(GLIBC_", requires, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootFact]
    public void Amd64_deb_installs_into_Debian_11_and_prints_the_pair_there()
    {
        var lower = Sysroot("amd64");
        Assert.StartsWith("11.", File.ReadAllText(Path.Combine(lower, "etc", "debian_version")), StringComparison.Ordinal);
        var work = Directory.CreateTempSubdirectory("k0snip-bullseye").FullName;
        try
        {
            foreach (var d in (string[])["upper/etc", "upper/tmp", "work", "root"])
            {
                Directory.CreateDirectory(Path.Combine(work, d));
            }

            File.WriteAllText(Path.Combine(work, "upper/etc/hosts"), "127.0.0.1 localhost\n");
            File.WriteAllText(Path.Combine(work, "upper/etc/resolv.conf"), "nameserver 127.0.0.1\n");
            File.Copy(Packages.Deb(Version), Path.Combine(work, "upper/tmp/k0s-node-ip.deb"));
            File.WriteAllText(Path.Combine(work, "run.sh"), $$"""
                set -e
                W={{work}}
                mount -t overlay overlay -o lowerdir={{lower}},upperdir=$W/upper,workdir=$W/work $W/root
                mount -t proc proc $W/root/proc
                mount --rbind /dev $W/root/dev
                hostname node1
                chroot $W/root dpkg -i /tmp/k0s-node-ip.deb >&2
                chroot $W/root dpkg-query -W -f '${Version}' libc6 > $W/libc6
                chroot $W/root dpkg-query -W -f '${Status}' k0s-node-ip > $W/status
                exec chroot $W/root /usr/bin/k0s-node-ip --print --json
                """);
            using var node = TestNode.DualStack();
            node.StartDns("node1,192.0.2.10,2001:db8::10");

            var result = ProcessRunner.Run("ip", ["netns", "exec", node.Name, "unshare", "--mount", "--uts", "--propagation", "private", "sh", Path.Combine(work, "run.sh")], check: false, TimeSpan.FromMinutes(2));

            Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
            Assert.StartsWith("2.31-", File.ReadAllText(Path.Combine(work, "libc6")), StringComparison.Ordinal);
            Assert.Equal("install ok installed", File.ReadAllText(Path.Combine(work, "status")));
            var json = JsonDocument.Parse(result.Stdout).RootElement;
            Assert.Equal("--node-ip=192.0.2.10,2001:db8::10", json.GetProperty("nodeIpFlag").GetString());
            Assert.Equal("dns", json.GetProperty("lookup").GetProperty("method").GetString());
        }
        finally
        {
            ProcessRunner.Run("rm", ["-rf", work], check: false);
        }
    }

    public static TheoryData<string> Scenarios => ["dns", "nxdomain", "debian-hosts-line", "defaults-on-two-interfaces", "deprecated-ipv6"];

    [RootTheory]
    [MemberData(nameof(Scenarios))]
    public void Arm64_binary_under_qemu_gives_the_amd64_answer(string scenario)
    {
        using var node = Scenario(scenario);
        var prefix = QemuPrefix();
        try
        {
            var (amd64Exit, amd64Json, _) = node.Print("node1");
            var arm64 = ProcessRunner.Run(
                "ip",
                ["netns", "exec", node.Name, "unshare", "--uts", "sh", "-c", $"hostname node1 && exec qemu-aarch64 -L '{prefix}' '{Packages.Arm64Binary}' --print --json"],
                check: false,
                TimeSpan.FromMinutes(1));

            Assert.True(arm64.ExitCode == amd64Exit, $"arm64 exited {arm64.ExitCode}, amd64 {amd64Exit}: {arm64.Stderr}");
            Assert.NotEqual(JsonValueKind.Null, amd64Json.GetProperty("ipv4").ValueKind);
            Assert.Equal(amd64Json.ToString(), JsonDocument.Parse(arm64.Stdout).RootElement.ToString());
        }
        finally
        {
            Directory.Delete(prefix, recursive: true);
        }
    }

    /// <summary>A few of the detection integration scenarios: DNS, fallback, hosts file, two interfaces, IPv6 flags.</summary>
    private static TestNode Scenario(string name)
    {
        TestNode node;
        switch (name)
        {
            case "dns":
                node = TestNode.DualStack();
                node.StartDns("node1,192.0.2.10,2001:db8::10");
                break;
            case "nxdomain":
                node = TestNode.DualStack();
                node.StartDns();
                break;
            case "debian-hosts-line":
                node = TestNode.DualStack(hosts: "127.0.0.1 localhost\n127.0.1.1 node1.example.test node1\n");
                node.StartDns("node1,192.0.2.10,2001:db8::10");
                break;
            case "defaults-on-two-interfaces":
                node = new TestNode();
                node.AddLink("eth0");
                node.AddLink("eth1");
                node.Ip("addr", "add", "192.0.2.5/24", "dev", "eth0");
                node.Ip("-6", "addr", "add", "2001:db8:1::5/64", "dev", "eth0", "nodad");
                node.Ip("-6", "addr", "add", "2001:db8:2::7/64", "dev", "eth1", "nodad");
                node.Ip("route", "add", "default", "via", "192.0.2.1", "dev", "eth0");
                node.Ip("-6", "route", "add", "default", "via", "2001:db8:2::1", "dev", "eth1");
                node.StartDns();
                break;
            case "deprecated-ipv6":
                node = new TestNode();
                node.AddLink("eth0");
                node.Ip("addr", "add", "192.0.2.5/24", "dev", "eth0");
                node.Ip("-6", "addr", "add", "2001:db8::5/64", "dev", "eth0", "nodad");
                node.Ip("-6", "addr", "add", "2001:db8::20/64", "dev", "eth0", "nodad", "preferred_lft", "0");
                node.Ip("route", "add", "default", "via", "192.0.2.1");
                node.Ip("-6", "route", "add", "default", "via", "2001:db8::1");
                node.StartDns();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "unknown scenario");
        }

        return node;
    }

    /// <summary>
    /// qemu-aarch64's -L folder: only the arm64 Debian 11 root's libraries. qemu-user looks up every absolute path
    /// there first, so the whole root would also lend the program its /etc/hosts and /etc/resolv.conf.
    /// </summary>
    private static string QemuPrefix()
    {
        var libs = Path.Combine(Sysroot("arm64"), "usr", "lib");
        var prefix = Directory.CreateTempSubdirectory("k0snip-qemu").FullName;
        Directory.CreateDirectory(Path.Combine(prefix, "usr"));
        File.CreateSymbolicLink(Path.Combine(prefix, "lib"), libs);
        File.CreateSymbolicLink(Path.Combine(prefix, "usr", "lib"), libs);
        return prefix;
    }

    /// <summary>The Debian 11 root scripts/sysroot prepared for <paramref name="arch"/> (the test command runs it).</summary>
    private static string Sysroot(string arch)
    {
        var root = Environment.GetEnvironmentVariable("TEST_K0S_NODE_IP_SYSROOT_" + arch.ToUpperInvariant())
            is { Length: > 0 } fromEnvironment ? fromEnvironment : Path.Combine(SysrootCache, "sysroot-bullseye-" + arch);
        return File.Exists(Path.Combine(root, ".k0s-node-ip-sysroot"))
            ? root
            : throw new InvalidOperationException($"no Debian 11 {arch} root at {root}: run scripts/sysroot {arch} (the test command does)");
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    [GeneratedRegex(@"\(GLIBC_([0-9.]+)\)")]
    private static partial Regex RpmGlibc();
}

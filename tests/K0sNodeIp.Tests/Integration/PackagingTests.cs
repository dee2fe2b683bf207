using System.Globalization;
using System.Text.RegularExpressions;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>The shipped artefacts: unit hardening, package layout and the distributions' linters.</summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class PackagingTests
{
    private const string Version = "0.1.0";

    [RootFact]
    public void Unit_passes_systemd_analyze_verify_and_rates_1_8_or_lower()
    {
        var dir = Directory.CreateTempSubdirectory("k0snip-unit").FullName;
        try
        {
            // verify wants the executable to exist: point ExecStart at the test binary.
            var unit = File.ReadAllText(Path.Combine(Packages.RepositoryRoot, "systemd", "k0s-node-ip.service"))
                .Replace("/usr/bin/k0s-node-ip", Packages.Binary, StringComparison.Ordinal);
            var path = Path.Combine(dir, "k0s-node-ip.service");
            File.WriteAllText(path, unit);

            var verify = ProcessRunner.Run("systemd-analyze", ["verify", "--man=no", path], check: false);
            Assert.True(verify.ExitCode == 0 && verify.Stderr.Trim().Length == 0, verify.Stderr);
            var tidy = ProcessRunner.Run("systemd-analyze", ["verify", "--man=no", Path.Combine(Packages.RepositoryRoot, "systemd", "k0s-node-ip-tidy.service")], check: false);
            Assert.True(tidy.ExitCode == 0 && tidy.Stderr.Trim().Length == 0, tidy.Stderr);

            var security = ProcessRunner.Run("systemd-analyze", ["security", "--offline=yes", path], check: false);
            var level = ExposureLevel().Match(security.Stdout);
            Assert.True(level.Success, security.Stdout + security.Stderr);
            Assert.True(double.Parse(level.Groups[1].Value, CultureInfo.InvariantCulture) <= 1.8, level.Value);

            // What remains exposed, and why: it runs as root to replace root's files (User=, PrivateUsers=), on the host's
            // file system with its own paths writable (RootDirectory=, PrivateMounts=, DeviceAllow= is closed anyway),
            // resolves the node's own name (ProtectHostname=), needs the network, netlink and D-Bus (PrivateNetwork=,
            // IPAddressDeny=, the address families), reads /proc/net (ProcSubset=), and writes files systemd and the
            // operator read (UMask=0022). Anything else showing up here is a regression.
            var exposed = security.Stdout.Split('\n').Where(l => l.StartsWith('✗')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(
                ["DeviceAllow=", "IPAddressDeny=", "PrivateMounts=", "PrivateNetwork=", "PrivateUsers=", "ProcSubset=", "ProtectHostname=",
                 "RestrictAddressFamilies=~AF_(INET|INET6)", "RestrictAddressFamilies=~AF_NETLINK", "RestrictAddressFamilies=~AF_UNIX",
                 "RootDirectory=/RootImage=", "UMask=", "User=/DynamicUser="],
                exposed);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootFact]
    public void Rpm_has_the_layout_scripts_and_conffile_and_rpmlint_reports_no_error()
    {
        var rpm = Packages.Rpm(Version);

        var files = ProcessRunner.Run("rpm", "-qlp", rpm).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("/usr/bin/k0s-node-ip", files);
        Assert.Contains("/usr/lib/systemd/system/k0s-node-ip.service", files);
        Assert.Contains("/etc/k0s-node-ip/config.json", files);
        Assert.Contains("/usr/share/man/man8/k0s-node-ip.8.gz", files);
        Assert.Contains("/usr/share/licenses/k0s-node-ip/LICENSE", files);
        Assert.Equal("/etc/k0s-node-ip/config.json", ProcessRunner.Run("rpm", "-qp", "--configfiles", rpm).Stdout.Trim());

        var scripts = ProcessRunner.Run("rpm", "-qp", "--scripts", rpm).Stdout;
        Assert.Contains("systemctl enable k0s-node-ip.service", scripts, StringComparison.Ordinal);
        Assert.Contains("systemctl disable --now k0s-node-ip.service", scripts, StringComparison.Ordinal);
        Assert.Contains("try-restart", scripts, StringComparison.Ordinal);

        var lint = ProcessRunner.Run("rpmlint", ["-r", Path.Combine(Packages.RepositoryRoot, "packaging", "rpm", "k0s-node-ip.rpmlintrc"), rpm], check: false);
        Assert.Contains(" 0 errors", lint.Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public void Deb_has_the_layout_and_conffile_and_lintian_reports_no_error()
    {
        var deb = Packages.Deb(Version);

        var contents = ProcessRunner.Run("dpkg-deb", "-c", deb).Stdout;
        Assert.Contains("./usr/bin/k0s-node-ip", contents, StringComparison.Ordinal);
        Assert.Contains("./lib/systemd/system/k0s-node-ip.service", contents, StringComparison.Ordinal);
        Assert.Contains("./etc/k0s-node-ip/config.json", contents, StringComparison.Ordinal);
        Assert.Contains("./usr/share/doc/k0s-node-ip/copyright", contents, StringComparison.Ordinal);
        Assert.Equal("/etc/k0s-node-ip/config.json", ProcessRunner.Run("dpkg-deb", "-f", deb, "Conffiles").Stdout.Trim().Split(' ')[0]
            is { Length: > 0 } fromField ? fromField : ProcessRunner.Run("sh", "-c", $"dpkg-deb -e {deb} /tmp/k0snip-ctl-$$ && cat /tmp/k0snip-ctl-$$/conffiles && rm -rf /tmp/k0snip-ctl-$$").Stdout.Trim());

        var lint = ProcessRunner.Run("lintian", ["--fail-on", "error", deb], check: false);
        Assert.True(lint.ExitCode == 0, lint.Stdout + lint.Stderr);
        Assert.DoesNotContain("E: ", lint.Stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Overall exposure level for .*: (\d+\.\d+)")]
    private static partial Regex ExposureLevel();
}

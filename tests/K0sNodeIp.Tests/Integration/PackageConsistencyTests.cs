using System.Globalization;
using System.Text.RegularExpressions;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>What a new user found wrong in the packages: the .deb and .rpm clean up alike, the man page's key table
/// is the README's, the rpm changelog is dated by the build, no stale lintian override, and arm64 lints clean too.</summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class PackageConsistencyTests
{
    private const string Version = "0.1.0";

    [RootFact]
    public void Deb_purge_and_rpm_erase_run_the_same_cleanup_including_the_drop_in_backups()
    {
        var purge = File.ReadAllText(Path.Combine(Packages.RepositoryRoot, "packaging", "purge.sh"));
        Assert.Contains("rm -f \"$dropin\" \"$dropin.k0s-node-ip.bak\"", purge, StringComparison.Ordinal);

        var dir = Directory.CreateTempSubdirectory("k0snip-ctl").FullName;
        try
        {
            ProcessRunner.Run("dpkg-deb", "-e", Packages.Deb(Version), dir);
            var postrm = File.ReadAllText(Path.Combine(dir, "postrm"));
            var purgeBranch = postrm[postrm.IndexOf("purge)", StringComparison.Ordinal)..postrm.IndexOf(";;", StringComparison.Ordinal)];
            Assert.Contains(purge.Trim(), purgeBranch, StringComparison.Ordinal);
            Assert.Equal(0, ProcessRunner.Run("sh", ["-n", Path.Combine(dir, "postrm")], check: false).ExitCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        var scripts = ProcessRunner.Run("rpm", "-qp", "--scripts", Packages.Rpm(Version)).Stdout;
        var postun = scripts[scripts.IndexOf("postuninstall scriptlet", StringComparison.Ordinal)..];
        var eraseBranch = postun[postun.IndexOf("else", StringComparison.Ordinal)..];
        Assert.Contains(purge.Trim(), eraseBranch, StringComparison.Ordinal);
    }

    [RootFact]
    public void Man_page_lists_every_configuration_key_of_the_README_table()
    {
        var readme = File.ReadAllText(Path.Combine(Packages.RepositoryRoot, "README.md"));
        var section = readme[readme.IndexOf("\n## Configuration\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        var keys = TableKey().Matches(section).SelectMany(m => KeyName().Matches(m.Groups[1].Value)).Select(k => k.Groups[1].Value).ToList();
        Assert.True(keys.Count >= 25, $"only {keys.Count} keys found in the README's table");

        var dir = Directory.CreateTempSubdirectory("k0snip-man").FullName;
        try
        {
            ProcessRunner.Run("dpkg-deb", "-x", Packages.Deb(Version), dir);
            var page = Path.Combine(dir, "usr/share/man/man8/k0s-node-ip.8.gz");
            var man = ProcessRunner.Run("man", ["--warnings", "-l", page], check: false, environment: new Dictionary<string, string> { ["MANWIDTH"] = "200", ["MAN_KEEP_FORMATTING"] = "0" });
            Assert.True(man.ExitCode == 0 && man.Stderr.Trim().Length == 0, man.Stderr);
            var text = Regex.Replace(man.Stdout, ".\b", string.Empty);
            var configuration = text[text.IndexOf("CONFIGURATION", StringComparison.Ordinal)..text.IndexOf("FILES", StringComparison.Ordinal)];
            Assert.All(keys, key => Assert.Matches(@"(?m)(^\s+|, )" + Regex.Escape(key) + @"(,|\s*$)", configuration));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootFact]
    public void Rpm_changelog_is_dated_by_the_commit_not_by_the_spec()
    {
        var spec = File.ReadAllText(Path.Combine(Packages.RepositoryRoot, "packaging", "rpm", "k0s-node-ip.spec.in"));
        Assert.DoesNotMatch(@"(?m)^\* (Mon|Tue|Wed|Thu|Fri|Sat|Sun) ", spec);

        var epoch = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH") is { Length: > 0 } fixedEpoch
            ? fixedEpoch
            : ProcessRunner.Run("git", "-C", Packages.RepositoryRoot, "log", "-1", "--format=%ct").Stdout.Trim();
        var expected = DateTimeOffset.FromUnixTimeSeconds(long.Parse(epoch, CultureInfo.InvariantCulture)).ToString("ddd MMM dd yyyy", CultureInfo.InvariantCulture);
        var changelog = ProcessRunner.Run("rpm", "-qp", "--changelog", Packages.Rpm(Version)).Stdout;
        Assert.StartsWith($"* {expected} ", changelog, StringComparison.Ordinal);
    }

    [RootTheory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public void Lintian_and_rpmlint_report_no_error_and_no_unused_override(string arch)
    {
        var lintian = ProcessRunner.Run("lintian", ["--fail-on", "error", "-I", Packages.Deb(Version, arch)], check: false, TimeSpan.FromMinutes(2));
        Assert.True(lintian.ExitCode == 0, lintian.Stdout + lintian.Stderr);
        Assert.DoesNotContain("unused-override", lintian.Stdout, StringComparison.Ordinal);

        var rpmlint = ProcessRunner.Run("rpmlint", ["-r", Path.Combine(Packages.RepositoryRoot, "packaging", "rpm", "k0s-node-ip.rpmlintrc"), Packages.Rpm(Version, arch)], check: false);
        Assert.Contains(" 0 errors", rpmlint.Stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?m)^\| (`[^|]+) \|")]
    private static partial Regex TableKey();

    [GeneratedRegex(@"`([A-Za-z]+:[A-Za-z0-9]+)`")]
    private static partial Regex KeyName();
}

using System.Globalization;
using System.Text.RegularExpressions;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>What a new user found wrong in the packages: the .deb and .rpm clean up alike, the man page's key table
/// is the README's, both changelogs are CHANGELOG.md's and agree with the version, no stale lintian override, and arm64
/// lints clean too.</summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class PackageConsistencyTests
{
    private static readonly string Version = Packages.CurrentVersion;

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
    public void Version_the_version_flag_both_package_changelogs_and_the_changelog_agree()
    {
        var changelog = File.ReadAllText(Path.Combine(Packages.RepositoryRoot, "CHANGELOG.md"));
        var top = TopRelease().Match(changelog);
        Assert.True(top.Success, "CHANGELOG.md has no release entry");
        var releases = AnyRelease().Matches(changelog).Select(m => m.Groups[1].Value).ToList();

        // Between releases (issue 32) the build is the next release's pre-release, and its entry is "Unreleased";
        // a release is CHANGELOG.md's top dated entry.
        var semver = SemanticVersion().Match(Version);
        Assert.True(semver.Success, $"Directory.Build.props' version {Version} is not X.Y.Z or X.Y.Z-pre");
        DateTimeOffset? dated = null;
        if (semver.Groups["pre"].Success)
        {
            Assert.StartsWith("## [Unreleased]", FirstHeading().Match(changelog).Value, StringComparison.Ordinal);
            Assert.True(System.Version.Parse(semver.Groups["release"].Value) > System.Version.Parse(top.Groups[1].Value),
                $"{Version} must be the pre-release of a version newer than the last release {top.Groups[1].Value}");
            releases.Insert(0, Packages.PackageVersion(Version));
        }
        else
        {
            Assert.Equal(Version, top.Groups[1].Value);
            dated = DateTimeOffset.ParseExact(top.Groups[2].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }

        Assert.StartsWith($"{Version} (commit ", ProcessRunner.Run(Packages.Binary, "--version").Stdout, StringComparison.Ordinal);

        var packageVersion = Packages.PackageVersion(Version);
        var dir = Directory.CreateTempSubdirectory("k0snip-changelog").FullName;
        try
        {
            ProcessRunner.Run("dpkg-deb", "-x", Packages.Deb(Version), dir);
            Assert.Equal($"{packageVersion}-1", ProcessRunner.Run("dpkg-deb", "-f", Packages.Deb(Version), "Version").Stdout.Trim());
            var debian = ProcessRunner.Run("sh", "-c", $"gzip -dc {dir}/usr/share/doc/k0s-node-ip/changelog.Debian.gz").Stdout;
            Assert.StartsWith($"k0s-node-ip ({packageVersion}-1) unstable; urgency=medium\n", debian, StringComparison.Ordinal);
            if (dated is { } date)
            {
                Assert.Contains($" -- K0sNodeIp developers <dev@k0snodeip.invalid>  {date.ToString("ddd, dd MMM yyyy", CultureInfo.InvariantCulture)} 00:00:00 +0000", debian, StringComparison.Ordinal);
            }

            // Every release of CHANGELOG.md is in both packages' changelogs, newest first.
            Assert.Equal(releases, DebianRelease().Matches(debian).Select(m => m.Groups[1].Value));
            var rpm = ProcessRunner.Run("rpm", "-qp", "--changelog", Packages.Rpm(Version)).Stdout;
            Assert.Equal(releases, RpmRelease().Matches(rpm).Select(m => m.Groups[1].Value));
            Assert.Equal(packageVersion, ProcessRunner.Run("rpm", "-qp", "--qf", "%{VERSION}", Packages.Rpm(Version)).Stdout);
            Assert.Contains("- Node IP changes: ", rpm, StringComparison.Ordinal);

            if (semver.Groups["pre"].Success)
            {
                // dpkg and rpm order the pre-release after the last release and before its own release.
                foreach (var (older, newer) in new[] { (top.Groups[1].Value, packageVersion), (packageVersion, semver.Groups["release"].Value) })
                {
                    Assert.Equal(0, ProcessRunner.Run("dpkg", ["--compare-versions", $"{older}-1", "lt", $"{newer}-1"], check: false).ExitCode);
                    Assert.Equal("-1", ProcessRunner.Run("rpm", "--eval", $"%{{lua: print(rpm.vercmp(\"{older}\", \"{newer}\"))}}").Stdout.Trim());
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootFact]
    public void A_build_between_releases_is_newer_than_the_one_before_it_and_older_than_the_release()
    {
        // Issue 32: without --version a pre-release carries its commit's time and its commit, so rpm -U takes the next
        // build from the main branch, and every such build still sorts before the release it leads to.
        Assert.Contains('-', Version);
        var dir = Directory.CreateTempSubdirectory("k0snip-devbuild").FullName;
        try
        {
            ProcessRunner.Run(Path.Combine(Packages.RepositoryRoot, "packaging", "build-packages"), ["--arch", "amd64", "--binary", "amd64=" + Packages.Binary, "--out", dir], check: true, TimeSpan.FromMinutes(5));
            var deb = Assert.Single(Directory.GetFiles(dir, "*.deb"));
            var version = ProcessRunner.Run("dpkg-deb", "-f", deb, "Version").Stdout.Trim();
            var commit = ProcessRunner.Run("git", ["-C", Packages.RepositoryRoot, "rev-parse", "--short=12", "HEAD"]).Stdout.Trim();
            var committed = DateTimeOffset.FromUnixTimeSeconds(long.Parse(ProcessRunner.Run("git", ["-C", Packages.RepositoryRoot, "log", "-1", "--format=%ct"]).Stdout.Trim(), CultureInfo.InvariantCulture));
            Assert.Equal($"{Packages.PackageVersion(Version)}.{committed:yyyyMMddHHmmss}.g{commit}-1", version);
            var rpm = Assert.Single(Directory.GetFiles(dir, "*.rpm"));
            Assert.Equal(version, ProcessRunner.Run("rpm", "-qp", "--qf", "%{VERSION}-%{RELEASE}", rpm).Stdout);

            var earlier = $"{Packages.PackageVersion(Version)}.{committed.AddSeconds(-1):yyyyMMddHHmmss}.gffffffffffff-1";
            var release = SemanticVersion().Match(Version).Groups["release"].Value + "-1";
            Assert.Equal(0, ProcessRunner.Run("dpkg", ["--compare-versions", earlier, "lt", version], check: false).ExitCode);
            Assert.Equal(0, ProcessRunner.Run("dpkg", ["--compare-versions", version, "lt", release], check: false).ExitCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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

    [GeneratedRegex(@"(?m)^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d\d-\d\d)$")]
    private static partial Regex TopRelease();

    [GeneratedRegex(@"(?m)^## \[(\d+\.\d+\.\d+)\]")]
    private static partial Regex AnyRelease();

    [GeneratedRegex(@"(?m)^## \[[^]]*\]")]
    private static partial Regex FirstHeading();

    [GeneratedRegex(@"^(?<release>\d+\.\d+\.\d+)(-(?<pre>[0-9A-Za-z.]+))?$")]
    private static partial Regex SemanticVersion();

    [GeneratedRegex(@"(?m)^k0s-node-ip \(([^)]+)-1\)")]
    private static partial Regex DebianRelease();

    [GeneratedRegex(@"(?m)^\* .* - ([^ ]+)-1$")]
    private static partial Regex RpmRelease();

    [GeneratedRegex(@"(?m)^\| (`[^|]+) \|")]
    private static partial Regex TableKey();

    [GeneratedRegex(@"`([A-Za-z]+:[A-Za-z0-9]+)`")]
    private static partial Regex KeyName();
}

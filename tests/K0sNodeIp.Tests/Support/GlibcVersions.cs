using System.Text.RegularExpressions;

namespace K0sNodeIp.Tests.Support;

/// <summary>
/// The glibc symbol versions an ELF binary needs, read from its version-needs section
/// (<c>readelf --version-info --wide</c>, which reads amd64 and arm64 binaries alike).
/// </summary>
public static partial class GlibcVersions
{
    /// <summary>The oldest glibc the shipped binaries may need (RHEL/CentOS 7 has 2.17; the floor we promise is 2.28).</summary>
    public static readonly Version Target = new(2, 17);

    /// <summary>Every GLIBC_x.y[.z] the binary needs; throws on a version that is not numeric (GLIBC_PRIVATE).</summary>
    public static IReadOnlyList<Version> Needed(string binary) =>
        Parse(ProcessRunner.Run("readelf", "--version-info", "--wide", binary).Stdout);

    /// <summary>Parses readelf's <c>.gnu.version_r</c> entries ("Name: GLIBC_2.17  Flags: none  Version: 3").</summary>
    public static IReadOnlyList<Version> Parse(string readelfOutput)
    {
        var section = readelfOutput.IndexOf(".gnu.version_r", StringComparison.Ordinal);
        if (section < 0)
        {
            throw new FormatException("no .gnu.version_r (version needs) section in readelf's output");
        }

        var versions = new SortedSet<Version>();
        foreach (Match m in NeededName().Matches(readelfOutput[section..]))
        {
            var name = m.Groups[1].Value;
            if (!Version.TryParse(name, out var version))
            {
                throw new FormatException($"GLIBC_{name} is not a numbered glibc version");
            }

            versions.Add(version);
        }

        return [.. versions];
    }

    [GeneratedRegex(@"Name: GLIBC_(\S+)")]
    private static partial Regex NeededName();
}

namespace K0sNodeIp.Tests.Support;

/// <summary>
/// Builds the .deb and .rpm of each architecture with packaging/build-packages from the test binaries, once
/// per version, into temporary folders removed when the test run ends.
/// </summary>
public static class Packages
{
    /// <summary>The arm64 binary (cross-compiled by scripts/publish); the test command sets it when run as root.</summary>
    public const string Arm64BinaryVariable = "TEST_K0S_NODE_IP_BINARY_ARM64";

    private static readonly Dictionary<string, string> Built = [];

    static Packages() => AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveBuilt();

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "K0sNodeIp.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Binary =>
        Environment.GetEnvironmentVariable("TEST_K0S_NODE_IP_BINARY") is { Length: > 0 } binary
            ? binary
            : throw new InvalidOperationException("TEST_K0S_NODE_IP_BINARY must name the Native AOT binary (the test command sets it)");

    public static string Arm64Binary =>
        Environment.GetEnvironmentVariable(Arm64BinaryVariable) is { Length: > 0 } binary
            ? binary
            : throw new InvalidOperationException($"{Arm64BinaryVariable} must name the arm64 Native AOT binary (the test command, run as root, sets it)");

    /// <summary>The architectures packages are built for: amd64, and arm64 when its binary is there.</summary>
    public static IReadOnlyList<string> Architectures =>
        Environment.GetEnvironmentVariable(Arm64BinaryVariable) is { Length: > 0 } ? ["amd64", "arm64"] : ["amd64"];

    /// <summary>The folder holding the .deb and .rpm of every architecture in <see cref="Architectures"/>.</summary>
    public static string Build(string version)
    {
        lock (Built)
        {
            if (!Built.TryGetValue(version, out var dir))
            {
                var args = new List<string> { "--arch", string.Join(' ', Architectures), "--version", version, "--binary", "amd64=" + Binary };
                if (Architectures.Contains("arm64"))
                {
                    args.AddRange(["--binary", "arm64=" + Arm64Binary]);
                }

                dir = Directory.CreateTempSubdirectory("k0snip-packages").FullName;
                try
                {
                    ProcessRunner.Run(Path.Combine(RepositoryRoot, "packaging", "build-packages"), [.. args, "--out", dir], check: true, TimeSpan.FromMinutes(5));
                }
                catch
                {
                    Directory.Delete(dir, recursive: true);
                    throw;
                }

                Built[version] = dir;
            }

            return dir;
        }
    }

    /// <summary>The .deb of a version: a non-native package, its Debian revision -1.</summary>
    public static string Deb(string version, string arch = "amd64") => Path.Combine(Build(version), $"k0s-node-ip_{PackageVersion(version)}-1_{arch}.deb");

    /// <summary>How both packages spell a version: a SemVer pre-release's "-" becomes "~" (0.4.0~dev sorts before 0.4.0).</summary>
    public static string PackageVersion(string version) => version.Replace('-', '~');

    /// <summary>The version Directory.Build.props gives, the one a package build without --version carries.</summary>
    public static string CurrentVersion =>
        System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(RepositoryRoot, "Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;

    public static string Rpm(string version, string arch = "amd64") => Path.Combine(Build(version), $"k0s-node-ip-{PackageVersion(version)}-1.{RpmArch(arch)}.rpm");

    public static string RpmArch(string arch) => arch switch
    {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        _ => throw new ArgumentOutOfRangeException(nameof(arch), arch, "amd64 or arm64"),
    };

    private static void RemoveBuilt()
    {
        lock (Built)
        {
            foreach (var dir in Built.Values)
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }

            Built.Clear();
        }
    }
}

namespace K0sNodeIp.Tests.Support;

/// <summary>Builds the .deb and .rpm with packaging/build-packages from the test binary, once per version.</summary>
public static class Packages
{
    private static readonly Dictionary<string, string> Built = [];

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

    /// <summary>The folder holding k0s-node-ip_VERSION_amd64.deb and k0s-node-ip-VERSION-1.x86_64.rpm.</summary>
    public static string Build(string version)
    {
        lock (Built)
        {
            if (!Built.TryGetValue(version, out var dir))
            {
                dir = Directory.CreateTempSubdirectory("k0snip-packages").FullName;
                ProcessRunner.Run(Path.Combine(RepositoryRoot, "packaging", "build-packages"), ["--binary", Binary, "--version", version, "--out", dir], check: true, TimeSpan.FromMinutes(5));
                Built[version] = dir;
            }

            return dir;
        }
    }

    public static string Deb(string version) => Path.Combine(Build(version), $"k0s-node-ip_{version}_amd64.deb");

    public static string Rpm(string version) => Path.Combine(Build(version), $"k0s-node-ip-{version}-1.x86_64.rpm");
}

using System.Reflection;

namespace K0sNodeIp;

/// <summary>Facts about the program itself, for every part that reports them.</summary>
internal static class ProgramInfo
{
    /// <summary>The version set once in Directory.Build.props.</summary>
    public static string Version =>
        typeof(ProgramInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The git commit the binary was built from; null when it was built outside a git checkout.</summary>
    public static string? Commit =>
        typeof(ProgramInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "SourceRevision")?.Value is { Length: > 0 } commit
            ? commit
            : null;

    /// <summary>What --version prints: "0.3.0", and the commit when it is known ("0.3.0 (commit 1a2b3c4d5e6f)").</summary>
    public static string VersionLine => Commit is { } commit ? $"{Version} (commit {commit[..Math.Min(12, commit.Length)]})" : Version;
}

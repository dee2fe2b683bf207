using System.Reflection;

namespace K0sNodeIp;

/// <summary>Facts about the program itself, for every part that reports them.</summary>
internal static class ProgramInfo
{
    /// <summary>The version set once in Directory.Build.props.</summary>
    public static string Version =>
        typeof(ProgramInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}

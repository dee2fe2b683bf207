namespace K0sNodeIp.Node;

/// <summary>
/// A service unit's name as the program writes it, with or without its ".service" (k0sworker, k0sworker.service): the one
/// rule that turns either into systemd's full name or into the stem the configuration keeps. A name may hold dots of its
/// own (foo.bar is the service foo.bar.service), so only the suffix decides, never a dot.
/// </summary>
internal static class ServiceUnitName
{
    public const string Suffix = ".service";

    /// <summary>The name systemd knows: k0sworker and k0sworker.service both give k0sworker.service.</summary>
    public static string Full(string name) => name.EndsWith(Suffix, StringComparison.Ordinal) ? name : name + Suffix;

    /// <summary>The folder of its drop-ins: k0sworker gives k0sworker.service.d.</summary>
    public static string DropInFolder(string name) => Full(name) + ".d";

    /// <summary>The name without its suffix: k0sworker.service and k0sworker both give k0sworker.</summary>
    public static string Stem(string name) => name.EndsWith(Suffix, StringComparison.Ordinal) ? name[..^Suffix.Length] : name;
}

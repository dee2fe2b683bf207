namespace K0sNodeIp.Configuration;

/// <summary>What a setting holds, as the configuration writes it.</summary>
internal enum SettingKind
{
    /// <summary>Any text (a name, a path, an address, a pattern); the section's validator checks what it must be.</summary>
    Text,

    /// <summary>A TimeSpan: hh:mm:ss, d.hh:mm:ss, or systemd's form (30s, 2min); never a bare number.</summary>
    Duration,

    /// <summary>An integer.</summary>
    WholeNumber,

    /// <summary>true or false, in any case.</summary>
    Flag,

    /// <summary>One of the setting's <see cref="Setting.Words"/>.</summary>
    Choice,

    /// <summary>Entries under an index (<c>Section:Key:0</c>), or a JSON array; never a plain value.</summary>
    List,
}

namespace K0sNodeIp.Formats;

/// <summary>One logical line of a unit file that is not blank, a comment or a section header.</summary>
/// <param name="Section">The section it is in ("[Service]"), empty before the first header.</param>
/// <param name="Key">The key before "=", or the whole line when it has no "=".</param>
/// <param name="Value">The value after "=", trimmed; empty when the line has no "=".</param>
/// <param name="Text">The whole line, trimmed.</param>
/// <param name="IsAssignment">Whether the line has an "=".</param>
internal readonly record struct UnitFileEntry(string Section, string Key, string Value, string Text, bool IsAssignment);

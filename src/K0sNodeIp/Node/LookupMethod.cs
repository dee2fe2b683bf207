namespace K0sNodeIp.Node;

/// <summary>
/// Which resolver answered the hostname lookup, or none when no lookup ran. Its word (<see cref="Word"/>, also
/// <see cref="ToString"/>) is what the explanation, the JSON output, the logs and the snapshot file say.
/// </summary>
internal sealed class LookupMethod
{
    /// <summary>No lookup ran (the hostname is an IP address, or the hostname is not a configured source).</summary>
    public static readonly LookupMethod None = new("none");

    /// <summary>/etc/hosts answered (Go's resolver).</summary>
    public static readonly LookupMethod HostsFile = new("hosts-file");

    /// <summary>DNS answered or failed (Go's resolver).</summary>
    public static readonly LookupMethod Dns = new("dns");

    /// <summary>glibc's getaddrinfo, as a cgo-built kubelet asks it.</summary>
    public static readonly LookupMethod Getaddrinfo = new("getaddrinfo");

    private static readonly LookupMethod[] All = [None, HostsFile, Dns, Getaddrinfo];

    private LookupMethod(string word) => Word = word;

    public string Word { get; }

    /// <summary>The method a word names, or null when it names none.</summary>
    public static LookupMethod? FromWord(string? word) => All.FirstOrDefault(m => m.Word == word);

    /// <summary>Every word, for an error message.</summary>
    public static IEnumerable<string> Words => All.Select(m => m.Word);

    public override string ToString() => Word;
}

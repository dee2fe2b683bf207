namespace K0sNodeIp.Sources;

/// <summary>A line of /proc/net/route or /proc/net/ipv6_route that kubelet's parser would reject.</summary>
internal sealed class RouteFileFormatException : FormatException
{
    public RouteFileFormatException(string file, int lineNumber, string line, string problem)
        : base($"{file} line {lineNumber}: {problem}: \"{line.TrimEnd()}\"")
    {
        File = file;
        LineNumber = lineNumber;
        Line = line;
    }

    public RouteFileFormatException()
    {
        File = Line = string.Empty;
    }

    public RouteFileFormatException(string message) : base(message)
    {
        File = Line = string.Empty;
    }

    public RouteFileFormatException(string message, Exception innerException) : base(message, innerException)
    {
        File = Line = string.Empty;
    }

    public string File { get; }

    public int LineNumber { get; }

    public string Line { get; }
}

using System.Text;

namespace K0sNodeIp.Formats;

/// <summary>How the agent turns the files it edits into text and back.</summary>
internal static class FileText
{
    /// <summary>
    /// Latin-1 maps every byte to one char and back, so a file with a BOM, UTF-8 or invalid bytes in comments
    /// is rewritten byte for byte except where we change it.
    /// </summary>
    public static readonly Encoding Bytes = Encoding.Latin1;
}

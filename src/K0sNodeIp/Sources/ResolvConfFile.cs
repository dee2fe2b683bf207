using System.Runtime.ExceptionServices;

namespace K0sNodeIp.Sources;

/// <summary>/etc/resolv.conf as read once for one lookup: its settings, and why it could not be read when it could not.</summary>
/// <param name="Conf">The settings; Go's defaults when the file is missing or unreadable.</param>
/// <param name="Failure">Why an existing file could not be read; null when it was read or is missing.</param>
internal sealed record ResolvConfFile(string Path, ResolvConf Conf, Exception? Failure = null)
{
    /// <summary>The file exists but reading it failed (an I/O error, not a denial): a cgo-built Go program then asks glibc.</summary>
    public bool Unreadable => Failure is IOException;

    public static ResolvConfFile Read(string path = ResolvConf.DefaultPath)
    {
        try
        {
            using var reader = new StreamReader(path);
            return new ResolvConfFile(path, ResolvConf.Parse(reader));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException || (e is UnauthorizedAccessException && Directory.Exists(path)))
        {
            // A folder in the file's place counts as no file, as Go's resolver takes it.
            return new ResolvConfFile(path, ResolvConf.Parse(TextReader.Null));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ResolvConfFile(path, ResolvConf.Parse(TextReader.Null), e);
        }
    }

    /// <summary>For the DNS half of the lookup: the settings, or the read's failure raised again (a denial) or given back (an I/O error).</summary>
    /// <returns>The settings, or null with <paramref name="error"/> set when an I/O error kept the file from being read.</returns>
    public ResolvConf? ConfForDns(out string? error)
    {
        error = null;
        switch (Failure)
        {
            case null:
                return Conf;
            case IOException e:
                error = $"cannot read {Path}: {e.Message}";
                return null;
            default:
                ExceptionDispatchInfo.Throw(Failure);
                return null;
        }
    }
}

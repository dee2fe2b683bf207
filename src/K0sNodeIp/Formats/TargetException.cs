namespace K0sNodeIp.Formats;

/// <summary>A target file that cannot be read, merged or written safely; the file on disk is left as it was.</summary>
internal class TargetException : Exception
{
    public TargetException(string message) : base(message)
    {
    }

    public TargetException()
    {
    }

    public TargetException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

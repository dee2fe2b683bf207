namespace K0sNodeIp.Modes;

/// <summary>One thing the program can be asked to do (the daemon, --once, --print, ...), run to its exit status.</summary>
internal interface IMode
{
    int Run(TextWriter stdout, TextWriter stderr);
}

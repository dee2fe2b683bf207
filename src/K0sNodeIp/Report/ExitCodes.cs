namespace K0sNodeIp.Report;

/// <summary>Process exit codes (sysexits.h where one fits).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Detection found no address of either family.</summary>
    public const int NothingDetected = 1;

    /// <summary>
    /// --once: a setting (Detection:AllowedCidrs, Interface, CanReach*) left a family the target holds with no address;
    /// that family kept its address, the rest was applied. The setting is wrong for this node.
    /// </summary>
    public const int SettingLeftFamily = 4;

    /// <summary>Bad command-line usage.</summary>
    public const int Usage = 2;

    /// <summary>EX_DATAERR: the --from-snapshot file is not a snapshot this version can replay, or does not record what the replay asks.</summary>
    public const int DataError = 65;

    /// <summary>EX_NOINPUT: the --from-snapshot file does not exist or cannot be read.</summary>
    public const int NoInput = 66;

    /// <summary>EX_IOERR: the target could not be read, merged or written; it was left as it was.</summary>
    public const int CannotWrite = 74;

    /// <summary>EX_CONFIG: the configuration is invalid; nothing was touched.</summary>
    public const int Config = 78;

    /// <summary>EX_TEMPFAIL: the target was written, but the unit's restart failed; a later run asks again.</summary>
    public const int TempFail = 75;
}

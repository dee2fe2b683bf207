using K0sNodeIp.Modes;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Cli;

/// <summary>--snapshot PATH as root in a folder another user owns: real symlinks, a real FIFO, a real pipe.</summary>
public sealed class SnapshotOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-snapshot-out").FullName;

    [Fact]
    public void Planted_symlink_to_another_file_is_refused_and_that_file_untouched()
    {
        var victim = Path.Combine(_dir, "shadow");
        File.WriteAllText(victim, "root:secret\n");
        var report = Path.Combine(_dir, "report.json");
        File.CreateSymbolicLink(report, victim);

        var error = Assert.ThrowsAny<IOException>(() => SnapshotOutput.Write(report, "{}\n", TextWriter.Null));

        Assert.Contains("symlink", error.Message, StringComparison.Ordinal);
        Assert.Equal("root:secret\n", File.ReadAllText(victim));
    }

    [Fact]
    public void Dangling_symlink_is_refused_and_its_target_not_created()
    {
        var victim = Path.Combine(_dir, "new-cron-job");
        var report = Path.Combine(_dir, "report.json");
        File.CreateSymbolicLink(report, victim);

        Assert.ThrowsAny<IOException>(() => SnapshotOutput.Write(report, "{}\n", TextWriter.Null));

        Assert.False(File.Exists(victim));
    }

    [Fact]
    public void Existing_file_is_replaced_and_keeps_its_mode()
    {
        var report = Path.Combine(_dir, "report.json");
        File.WriteAllText(report, "old");
        File.SetUnixFileMode(report, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        SnapshotOutput.Write(report, "{}\n", TextWriter.Null);

        Assert.Equal("{}\n", File.ReadAllText(report));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(report));
    }

    [Fact]
    public void Fifo_with_no_reader_is_a_clear_error_not_a_hang()
    {
        var fifo = Path.Combine(_dir, "fifo");
        ProcessRunner.Run("mkfifo", fifo);

        // Before the fix the open blocked for good; the bound turns that into a failed test, not a hung run.
        var write = Task.Run(() => SnapshotOutput.Write(fifo, "{}\n", TextWriter.Null));
        var error = Assert.ThrowsAny<IOException>(() => write.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult());

        Assert.Contains("no reader", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fifo_with_a_reader_receives_the_snapshot()
    {
        var fifo = Path.Combine(_dir, "fifo");
        ProcessRunner.Run("mkfifo", fifo);
        const string Text = "{\"schema\": 1}\n";

        // Opened for reading and writing, a FIFO has its reader at once (Linux's fifo(7)), without blocking the open.
        using var reader = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        await Task.Run(() => SnapshotOutput.Write(fifo, Text, TextWriter.Null)).WaitAsync(TimeSpan.FromSeconds(30));

        var buffer = new byte[Text.Length];
        await reader.ReadExactlyAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Text, System.Text.Encoding.UTF8.GetString(buffer));
    }

    [Fact]
    public void Missing_folder_is_named()
    {
        var missing = Path.Combine(_dir, "no-such-folder");

        var error = Assert.ThrowsAny<IOException>(() => SnapshotOutput.Write(Path.Combine(missing, "report.json"), "{}\n", TextWriter.Null));

        Assert.Equal($"folder {missing} does not exist", error.Message);
    }

    [Theory]
    [InlineData("-")]
    [InlineData("/dev/stdout")]
    public void Standard_output_by_dash_or_by_dev_stdout_is_written(string path)
    {
        using var stdout = new StringWriter();

        SnapshotOutput.Write(path, "{}\n", stdout);

        Assert.Equal("{}\n", stdout.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

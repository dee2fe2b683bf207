using K0sNodeIp.Apply;
using K0sNodeIp.Formats;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Targets;

public sealed class AtomicFileWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-write").FullName;

    [Fact]
    public void A_new_file_gets_mode_0644_and_is_written_only_when_the_content_differs()
    {
        var path = Path.Combine(_dir, "node-ip");

        Assert.True(PipelineWrites.WriteIfChanged(path, "a\n"));
        Assert.False(PipelineWrites.WriteIfChanged(path, "a\n"));
        Assert.Equal("a\n", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        Assert.Equal(["node-ip"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("KUBELET_EXTRA_ARGS=--max-pods=250\n")]
    [InlineData(null)]
    public void A_file_changed_after_the_read_stage_read_it_is_left_as_the_operator_made_it(string? before)
    {
        var path = Path.Combine(_dir, "kubelet");
        if (before is not null)
        {
            File.WriteAllText(path, before);
        }

        var inputs = TargetFileReader.Read(new TemplateFileTarget(path, string.Empty)).Inputs;

        // An edit of the same length in place, as a hand edit of one character is: only the file's version tells. Its
        // time is set a second on, as an edit later than the kernel's clock tick (the coarse timestamps' grain) has it.
        const string Edited = "KUBELET_EXTRA_ARGS=--max-pods=110\n";
        File.WriteAllText(path, Edited);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(1));
        var e = Assert.Throws<TargetException>(() => AtomicFileWriter.Write(path, "ours\n", inputs.Current, readFrom: inputs.CurrentStamp));

        Assert.Contains("changed after k0s-node-ip read it", e.Message, StringComparison.Ordinal);
        Assert.Equal(Edited, File.ReadAllText(path));
        Assert.False(File.Exists(path + AtomicFileWriter.BackupSuffix));
    }

    [Fact]
    public void A_file_unchanged_since_the_read_is_written()
    {
        var path = Path.Combine(_dir, "kubelet");
        File.WriteAllText(path, "theirs\n");
        var inputs = TargetFileReader.Read(new TemplateFileTarget(path, string.Empty)).Inputs;

        AtomicFileWriter.Write(path, "ours\n", inputs.Current, readFrom: inputs.CurrentStamp);

        Assert.NotNull(inputs.CurrentStamp);
        Assert.Equal("ours\n", File.ReadAllText(path));
    }

    [Fact]
    public void First_replaced_content_is_kept_as_backup_once()
    {
        var path = Path.Combine(_dir, "kubelet");
        File.WriteAllText(path, "operator's\n");

        PipelineWrites.WriteIfChanged(path, "ours 1\n");
        PipelineWrites.WriteIfChanged(path, "ours 2\n");

        Assert.Equal("operator's\n", File.ReadAllText(path + AtomicFileWriter.BackupSuffix));
        Assert.Equal("ours 2\n", File.ReadAllText(path));
    }

    [Fact]
    public void The_agents_own_file_drops_the_backup_an_earlier_release_kept()
    {
        var path = Path.Combine(_dir, "50-k0s-node-ip.conf");
        File.WriteAllText(path, "old drop-in\n");
        File.WriteAllText(path + AtomicFileWriter.BackupSuffix, "older drop-in\n");

        AtomicFileWriter.Write(path, "new drop-in\n", "old drop-in\n", keepBackup: false, ownBackup: content => content.StartsWith("older drop-in", StringComparison.Ordinal));

        Assert.Equal(["50-k0s-node-ip.conf"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_backup_of_an_operators_original_is_kept_even_where_the_agent_keeps_none()
    {
        var path = Path.Combine(_dir, "override.conf");
        File.WriteAllText(path, "ours\n");
        File.WriteAllText(path + AtomicFileWriter.BackupSuffix, "the operator's original\n");

        AtomicFileWriter.Write(path, "ours again\n", "ours\n", keepBackup: false, ownBackup: _ => false);

        Assert.Equal("the operator's original\n", File.ReadAllText(path + AtomicFileWriter.BackupSuffix));
    }

    [Fact]
    public void Symlink_at_the_destination_is_refused_and_its_target_untouched()
    {
        var real = Path.Combine(_dir, "real");
        File.WriteAllText(real, "keep\n");
        var link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, real);

        var error = Assert.Throws<TargetException>(() => PipelineWrites.WriteIfChanged(link, "new\n"));

        Assert.Contains("symlink", error.Message, StringComparison.Ordinal);
        Assert.Equal("keep\n", File.ReadAllText(real));
    }

    [Fact]
    public void Directory_at_the_destination_and_missing_folder_are_errors()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "dir"));

        Assert.Throws<TargetException>(() => PipelineWrites.WriteIfChanged(Path.Combine(_dir, "dir"), "x"));
        Assert.Throws<TargetException>(() => PipelineWrites.WriteIfChanged(Path.Combine(_dir, "missing", "f"), "x"));
    }

    [Fact]
    public void Missing_folder_is_created_when_asked_as_for_a_unit_drop_in()
    {
        var path = Path.Combine(_dir, "k0sworker.service.d", "50-k0s-node-ip.conf");

        Assert.True(PipelineWrites.WriteIfChanged(path, "[Service]\n", createDirectory: true));
        Assert.Equal("[Service]\n", File.ReadAllText(path));
    }

    [Fact]
    public void Bytes_outside_utf8_and_a_bom_are_kept_byte_for_byte()
    {
        var path = Path.Combine(_dir, "kubelet");
        byte[] odd = [0xEF, 0xBB, 0xBF, (byte)'#', 0xE9, 0xFF, (byte)'\n'];
        File.WriteAllBytes(path, [.. odd, .. "A=1\n"u8]);

        var current = PipelineWrites.ReadCurrent(path)!;
        PipelineWrites.WriteIfChanged(path, current.Replace("A=1", "A=2", StringComparison.Ordinal));

        Assert.Equal([.. odd, .. "A=2\n"u8], File.ReadAllBytes(path));
        Assert.Equal([.. odd, .. "A=1\n"u8], File.ReadAllBytes(path + AtomicFileWriter.BackupSuffix));
    }

    [Fact]
    public void Temporary_files_left_by_a_killed_writer_are_removed()
    {
        var path = Path.Combine(_dir, "node-ip");
        var stale = Path.Combine(_dir, ".node-ip.k0s-node-ip.tmp.123.abcd");
        var inProgress = Path.Combine(_dir, ".node-ip.k0s-node-ip.tmp.456.efgh");
        File.WriteAllText(stale, "half");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddMinutes(-5));
        File.WriteAllText(inProgress, "another writer's");

        PipelineWrites.WriteIfChanged(path, "whole\n");

        // The old leftover goes; a fresh one may be another writer's file in progress and stays.
        Assert.Equal([".node-ip.k0s-node-ip.tmp.456.efgh", "node-ip"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_0600_file_holding_a_token_stays_0600_and_so_does_its_backup()
    {
        var path = Path.Combine(_dir, "kubelet");
        File.WriteAllText(path, "KUBELET_EXTRA_ARGS=--token=secret\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        PipelineWrites.WriteIfChanged(path, "KUBELET_EXTRA_ARGS=--token=secret --node-ip=192.0.2.10\n");

        Assert.Equal("600", Stat(path, "%a"));
        Assert.Equal("600", Stat(path + AtomicFileWriter.BackupSuffix, "%a"));
    }

    [RootFact]
    public void Owner_and_group_of_the_replaced_file_are_kept_for_the_new_content_and_the_backup()
    {
        var path = Path.Combine(_dir, "template");
        File.WriteAllText(path, "old\n");
        ProcessRunner.Run("chown", "65534:65534", path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        PipelineWrites.WriteIfChanged(path, "new\n");

        Assert.Equal("640 65534:65534", Stat(path, "%a %u:%g"));
        Assert.Equal("640 65534:65534", Stat(path + AtomicFileWriter.BackupSuffix, "%a %u:%g"));
    }

    private static string Stat(string path, string format) => ProcessRunner.Run("stat", "-c", format, path).Stdout.Trim();

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

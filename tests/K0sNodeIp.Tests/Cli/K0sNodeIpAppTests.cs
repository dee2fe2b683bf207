using K0sNodeIp.Modes;
using K0sNodeIp.Report;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Cli;

public sealed class K0sNodeIpAppTests
{
    [Theory]
    [InlineData(ExitCodes.Usage, "--prnt")]
    [InlineData(ExitCodes.Usage, "--print", "stray")]
    [InlineData(ExitCodes.Usage, "--config")]
    [InlineData(ExitCodes.Config, "--print", "--config", "/nonexistent/k0s-node-ip.json")]
    [InlineData(ExitCodes.Config, "--print", "--Detection:StaticIPv4=not-an-ip")]
    [InlineData(ExitCodes.Usage, "--json")]
    [InlineData(ExitCodes.Usage, "--once", "--json")]
    [InlineData(ExitCodes.Usage, "--json", "--Detection:StaticIPv4=not-an-ip")]
    // Flags that do not go together are the command line's validation: found before any configuration is read.
    [InlineData(ExitCodes.Usage, "--print", "--once", "--Watch:Debounce=abc")]
    [InlineData(ExitCodes.Usage, "--check", "--print", "--Target:Kind=nope")]
    [InlineData(ExitCodes.Usage, "--check", "--dry-run")]
    public void Exit_code_tells_bad_usage_from_bad_configuration(int expected, params string[] args)
    {
        var stderr = new StringWriter();

        var exit = K0sNodeIpApp.Run(args, new StringWriter(), stderr);

        Assert.Equal(expected, exit);
        Assert.StartsWith("k0s-node-ip:", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExitCodes.Usage, "--from-snapshot", "x.json")]
    [InlineData(ExitCodes.Usage, "--print", "--once", "--from-snapshot", "x.json")]
    [InlineData(ExitCodes.Usage, "--print", "--config", "/etc/k0s-node-ip/config.json", "--from-snapshot", "x.json")]
    [InlineData(ExitCodes.Usage, "--snapshot", "x.json", "--json")]
    [InlineData(ExitCodes.Usage, "--snapshot", "x.json", "--print")]
    [InlineData(ExitCodes.NoInput, "--print", "--from-snapshot", "/nonexistent/snapshot.json")]
    [InlineData(ExitCodes.NoInput, "--print", "--from-snapshot", "/")]
    [InlineData(ExitCodes.Usage, "--print", "--from-snapshot", "")]
    [InlineData(ExitCodes.Usage, "--snapshot", "")]
    [InlineData(ExitCodes.Usage, "--print", "--with-target-files")]
    public void Snapshot_options_refuse_what_they_cannot_do(int expected, params string[] args)
    {
        var stderr = new StringWriter();

        var exit = K0sNodeIpApp.Run(args, new StringWriter(), stderr);

        Assert.Equal(expected, exit);
        Assert.StartsWith("k0s-node-ip:", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_of_another_schema_version_exits_65_naming_it()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "{\"schema\": \"k0s-node-ip/snapshot\", \"schemaVersion\": 7, \"takenBy\": \"k0s-node-ip 3.0.0\"}");
        var stderr = new StringWriter();
        try
        {
            var exit = K0sNodeIpApp.Run(["--print", "--from-snapshot", file], new StringWriter(), stderr);

            Assert.Equal(ExitCodes.DataError, exit);
            Assert.Contains("is a version 7 snapshot (written by k0s-node-ip 3.0.0)", stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("Target:Kind", "--Target:Kind=file", "--Target:Path=/tmp/k0s-node-ip-test")]
    [InlineData("Target:K0sConfig", "--Target:K0sConfig=/nonexistent.yaml")]
    [InlineData("Detection:Resolver", "--Detection:Resolver=Glibc")]
    [InlineData("Detection:DnsTimeout", "--Detection:DnsTimeout=00:00:01")]
    public void Replay_refuses_a_setting_whose_answer_was_recorded(string key, params string[] settings)
    {
        var stderr = new StringWriter();
        var stdout = new StringWriter();

        var exit = K0sNodeIpApp.Run(["--print", "--from-snapshot", Capture.SnapshotFixtures.Paths().First(), .. settings], stdout, stderr);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains($"{key} cannot change in a replay", stderr.ToString(), StringComparison.Ordinal);
        Assert.Empty(stdout.ToString());
    }

    [Fact]
    public void Replay_with_a_setting_that_changes_the_decision_prints_the_new_decision()
    {
        var stdout = new StringWriter();

        var exit = K0sNodeIpApp.Run(["--print", "--json", "--from-snapshot", Capture.SnapshotFixtures.Paths().First(), "--Detection:StaticIPv4=198.51.100.7"], stdout, new StringWriter());

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("198.51.100.7", System.Text.Json.JsonDocument.Parse(stdout.ToString()).RootElement.GetProperty("ipv4").GetString());
    }

    [Fact]
    public void Replay_of_a_file_whose_target_kind_was_edited_is_refused()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Capture.SnapshotFixtures.Paths().First()))!;
        document["options"]!["Target:Kind"] = "file";
        document["options"]!["Target:Path"] = "/tmp/x";
        var file = Path.GetTempFileName();
        File.WriteAllText(file, document.ToJsonString());
        var stderr = new StringWriter();
        try
        {
            var exit = K0sNodeIpApp.Run(["--print", "--from-snapshot", file], new StringWriter(), stderr);

            Assert.Equal(ExitCodes.DataError, exit);
            Assert.Contains($"options Target:Kind is \"file\" but target.kind records \"{document["target"]!["kind"]}\"", stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Replay_of_a_negative_interface_index_named_by_a_zone_exits_65_naming_the_field()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Capture.SnapshotFixtures.Paths().First()))!;
        document["interfaces"]![0]!["index"] = -5;
        var name = document["interfaces"]![0]!["name"]!.GetValue<string>();
        var file = Path.GetTempFileName();
        File.WriteAllText(file, document.ToJsonString());
        var stderr = new StringWriter();
        try
        {
            var exit = K0sNodeIpApp.Run(["--print", "--from-snapshot", file, $"--Detection:CanReachIPv6=fe80::1%{name}"], new StringWriter(), stderr);

            Assert.Equal(ExitCodes.DataError, exit);
            Assert.Contains("interfaces[0].index: -5", stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Replay_asked_about_a_destination_the_node_never_probed_says_so()
    {
        var stderr = new StringWriter();

        var exit = K0sNodeIpApp.Run(["--print", "--from-snapshot", Capture.SnapshotFixtures.Paths().First(), "--Detection:CanReachIPv4=198.51.100.1"], new StringWriter(), stderr);

        Assert.Equal(ExitCodes.DataError, exit);
        Assert.Contains("records no route towards 198.51.100.1", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_with_a_bad_setting_exits_78_before_reading_the_node()
    {
        var stderr = new StringWriter();

        var exit = K0sNodeIpApp.Run(["--print", "--from-snapshot", Capture.SnapshotFixtures.Paths().First(), "--Detection:StaticIPv4=not-an-ip"], new StringWriter(), stderr);

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains("StaticIPv4", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_says_json_goes_with_check_and_that_only_the_default_config_may_be_absent()
    {
        var stdout = new StringWriter();

        K0sNodeIpApp.Run(["--help"], stdout, new StringWriter());

        var help = string.Join(' ', stdout.ToString().Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("With --print or --check: one JSON object", help, StringComparison.Ordinal);
        Assert.Contains("may be absent; a file named here must exist", help, StringComparison.Ordinal);
        Assert.DoesNotContain("absent is fine", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Target:Kind=file")]
    [InlineData("--Target:Kind", "file")]
    [InlineData("--target:kind=kubeadm")]
    [InlineData("--Target:DropInName=60-other.conf")]
    public void Replay_refuses_every_target_change_with_exit_2(params string[] change)
    {
        var stderr = new StringWriter();

        var exit = K0sNodeIpApp.Run(["--print", "--from-snapshot", Capture.SnapshotFixtures.Paths().First(), .. change], new StringWriter(), stderr);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("cannot change in a replay", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"Target\": {\"DropInName\": null}}", "Target:DropInName: null is not a value")]
    [InlineData("{\"Reload\": {\"Mode\": null}}", "Reload:Mode: null is not a value")]
    public void Null_for_a_setting_with_a_default_is_a_configuration_error(string json, string expected)
    {
        var config = Path.GetTempFileName();
        File.WriteAllText(config, json);
        var stderr = new StringWriter();
        try
        {
            var exit = K0sNodeIpApp.Run(["--print", "--config", config], new StringWriter(), stderr);

            Assert.Equal(ExitCodes.Config, exit);
            Assert.Contains(expected, stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void Snapshot_replaces_an_existing_file_keeping_its_mode_and_refuses_a_symlink_to_it()
    {
        var folder = Directory.CreateTempSubdirectory("k0snip-snapshot-write-");
        try
        {
            var file = Path.Combine(folder.FullName, "private.json");
            File.WriteAllText(file, "old");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var link = Path.Combine(folder.FullName, "link.json");
            File.CreateSymbolicLink(link, file);
            var stderr = new StringWriter();

            // DefaultRoute only: no name lookup, so the test needs no resolver.
            var throughLink = K0sNodeIpApp.Run(["--snapshot", link, "--Detection:Sources:0=DefaultRoute"], new StringWriter(), stderr);
            var direct = K0sNodeIpApp.Run(["--snapshot", file, "--Detection:Sources:0=DefaultRoute"], new StringWriter(), new StringWriter());

            Assert.Equal(ExitCodes.CannotWrite, throughLink);
            Assert.Contains("symlink", stderr.ToString(), StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Success, direct);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Contains("\"schema\": \"k0s-node-ip/snapshot\"", File.ReadAllText(file), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Version_prints_the_build_version()
    {
        var stdout = new StringWriter();

        var exit = K0sNodeIpApp.Run(["--version"], stdout, new StringWriter());

        Assert.Equal(0, exit);
        // Built from this checkout: the version, then the commit it was built from.
        var commit = ProcessRunner.Run("git", ["-C", Packages.RepositoryRoot, "rev-parse", "HEAD"]).Stdout.Trim();
        Assert.Equal($"{Packages.CurrentVersion} (commit {commit[..12]})", stdout.ToString().Trim());
    }

    [Fact]
    public void Help_has_balanced_usage_and_no_catch_all_arguments()
    {
        var stdout = new StringWriter();

        K0sNodeIpApp.Run(["--help"], stdout, new StringWriter());

        var help = stdout.ToString();
        var lines = help.ReplaceLineEndings("\n").Split('\n');
        var usage = lines[Array.IndexOf(lines, "Usage:") + 1].Trim();
        Assert.EndsWith(" [options]", usage, StringComparison.Ordinal);
        Assert.DoesNotContain("additional arguments", help, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(help.Count(c => c == '['), help.Count(c => c == ']'));
    }

    [Fact]
    public void Help_shows_examples()
    {
        var stdout = new StringWriter();

        K0sNodeIpApp.Run(["--help"], stdout, new StringWriter());

        Assert.Contains("k0s-node-ip --print --json", stdout.ToString(), StringComparison.Ordinal);
    }
}

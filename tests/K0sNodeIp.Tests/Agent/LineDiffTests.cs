using K0sNodeIp.Formats;

namespace K0sNodeIp.Tests.Agent;

public sealed class LineDiffTests
{
    [Fact]
    public void One_changed_line_shows_with_context_and_elided_ends()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}")) + "\n";
        var after = before.Replace("line 10\n", "line 10 --node-ip=a\n", StringComparison.Ordinal);

        var diff = LineDiff.Render("/f", before, after);

        Assert.Equal("""
            --- /f
            +++ /f
            @@ 6 unchanged lines @@
             line 7
             line 8
             line 9
            -line 10
            +line 10 --node-ip=a
             line 11
             line 12
             line 13
            @@ 7 unchanged lines @@

            """.ReplaceLineEndings("\n"), diff.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void New_file_is_all_additions()
    {
        Assert.Equal("--- /dev/null\n+++ /f\n+a\n", LineDiff.Render("/f", null, "a\n").ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Huge_files_with_a_long_changed_middle_do_not_need_a_huge_table()
    {
        var a = string.Join('\n', Enumerable.Range(0, 50_000).Select(i => $"a{i}"));
        var b = string.Join('\n', Enumerable.Range(0, 50_000).Select(i => $"b{i}"));

        var diff = LineDiff.Render("/f", a, b);

        Assert.Equal(100_000, diff.Split('\n').Count(l => l.StartsWith('-') || l.StartsWith('+')) - 2);
    }
}

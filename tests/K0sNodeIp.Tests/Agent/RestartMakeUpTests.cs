using System.Net;
using K0sNodeIp.Agent;
using K0sNodeIp.Apply;
using K0sNodeIp.Node;
using K0sNodeIp.Reload;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Tests.Agent;

/// <summary>
/// The pure decisions behind a restart owed with nothing to write, and the state record's transitions: no systemd, no
/// state file, only the facts the applier would have asked.
/// </summary>
public sealed class RestartMakeUpTests
{
    private const string Unit = "k0sworker.service";
    private static readonly K0sDropInTarget K0s = new("/nonexistent/k0s-node-ip-makeup/units", "k0sworker", "50-k0s-node-ip.conf", null);
    private static readonly NodeIpPair Pair = new(IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10"), IpFamily.IPv4);
    private const string Current = "[Service]\nExecStart=\nExecStart=/usr/local/bin/k0s worker --kubelet-extra-args=--node-ip=192.0.2.10,2001:db8::10\n";

    private static AppliedState Record(string content, bool completed, string pair = "192.0.2.10,2001:db8::10") =>
        new(K0s.Path, AppliedState.Hash(content), pair, Unit, completed);

    [Fact]
    public void Nothing_owed_asks_nothing()
    {
        Assert.Null(RestartMakeUp.For(Unit, K0s, Pair, Current, startRefused: false, owed: null, recorded: null));
        Assert.Null(RestartMakeUp.For(Unit, K0s, Pair, Current, startRefused: false, owed: null, recorded: Record(Current, completed: true)));
    }

    [Fact]
    public void A_refused_start_is_a_daemon_reload_that_lets_it_start_and_comes_before_any_owed_restart()
    {
        var owed = new ReloadRequest(Unit, true, "node IP changed");

        var makeUp = RestartMakeUp.For(Unit, K0s, Pair, Current, startRefused: true, owed, Record(Current, completed: false));

        Assert.NotNull(makeUp);
        Assert.Equal(ReloadAction.DaemonReloadOnly, makeUp.Action);
        Assert.Null(makeUp.ContentHash);
    }

    [Fact]
    public void A_failed_restart_is_asked_again_as_it_was()
    {
        var owed = new ReloadRequest(Unit, true, "node IP changed", ContentHash: "abc");

        Assert.Same(owed, RestartMakeUp.For(Unit, K0s, Pair, Current, startRefused: false, owed, Record(Current, completed: false)));
    }

    [Fact]
    public void An_earlier_runs_unfinished_restart_is_made_up_only_while_the_file_holds_what_it_wrote()
    {
        var makeUp = RestartMakeUp.For(Unit, K0s, Pair, Current, startRefused: false, owed: null, Record(Current, completed: false));
        var editedSince = RestartMakeUp.For(Unit, K0s, Pair, Current + "# edited\n", startRefused: false, owed: null, Record(Current, completed: false));

        Assert.NotNull(makeUp);
        Assert.Equal(ReloadAction.Restart, makeUp.Action);
        Assert.True(makeUp.DaemonReload);
        Assert.Equal(AppliedState.Hash(Current), makeUp.ContentHash);
        Assert.Null(editedSince);
    }

    [Fact]
    public void A_write_that_changes_the_node_ip_owes_a_restart_whatever_was_recorded()
    {
        var next = AppliedState.AfterWrite(Record(Current, completed: true), K0s.Path, "new", "192.0.2.20,2001:db8::10", Unit, Current, noRestart: false);

        Assert.False(next.RestartCompleted);
        Assert.Equal("new", next.ContentSha256);
        Assert.Equal("192.0.2.20,2001:db8::10", next.Pair);
    }

    [Fact]
    public void Without_a_unit_a_write_owes_nothing()
    {
        Assert.True(AppliedState.AfterWrite(null, K0s.Path, "new", Pair.Value, unit: null, Current, noRestart: false).RestartCompleted);
    }

    [Fact]
    public void A_cosmetic_rewrite_carries_over_what_the_content_it_replaces_owed()
    {
        var owing = AppliedState.AfterWrite(Record(Current, completed: false), K0s.Path, "reworded", Pair.Value, Unit, Current, noRestart: true);
        var settled = AppliedState.AfterWrite(Record("older content", completed: true), K0s.Path, "reworded", Pair.Value, Unit, Current, noRestart: true);
        var unmatched = AppliedState.AfterWrite(Record("older content", completed: true, pair: "192.0.2.99"), K0s.Path, "reworded", Pair.Value, Unit, Current, noRestart: true);

        Assert.False(owing.RestartCompleted);
        Assert.Equal("reworded", owing.ContentSha256);
        Assert.True(settled.RestartCompleted);
        Assert.False(unmatched.RestartCompleted);
    }

    [Fact]
    public void Only_the_record_of_the_restarted_content_is_marked_completed()
    {
        var record = Record(Current, completed: false);

        var done = AppliedState.AfterRestart(record, K0s.Path, AppliedState.Hash(Current));

        Assert.NotNull(done);
        Assert.True(done.RestartCompleted);
        Assert.Null(AppliedState.AfterRestart(record, K0s.Path, AppliedState.Hash("a newer write")));
        Assert.Null(AppliedState.AfterRestart(done, K0s.Path, AppliedState.Hash(Current)));
    }
}

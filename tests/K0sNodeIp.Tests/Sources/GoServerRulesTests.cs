using DnsClient;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Tests.Sources;

public sealed class GoServerRulesTests
{
    [Theory]
    [InlineData(DnsHeaderResponseCode.NotExistentDomain, true, true, 0, 0, false, nameof(ServerVerdict.NoSuchHost))]
    [InlineData(DnsHeaderResponseCode.NotExistentDomain, false, false, 0, 0, false, nameof(ServerVerdict.NoSuchHost))]
    [InlineData(DnsHeaderResponseCode.NoError, true, true, 0, 1, false, nameof(ServerVerdict.NoRecords))]
    [InlineData(DnsHeaderResponseCode.NoError, false, true, 0, 0, false, nameof(ServerVerdict.NoRecords))]
    [InlineData(DnsHeaderResponseCode.NoError, false, false, 1, 0, false, nameof(ServerVerdict.NoRecords))]
    [InlineData(DnsHeaderResponseCode.NoError, false, false, 0, 1, false, nameof(ServerVerdict.NoRecords))]
    [InlineData(DnsHeaderResponseCode.NoError, false, false, 0, 0, false, nameof(ServerVerdict.LameReferral))]
    [InlineData(DnsHeaderResponseCode.NoError, true, true, 1, 0, true, nameof(ServerVerdict.Answered))]
    [InlineData(DnsHeaderResponseCode.ServerFailure, true, true, 0, 0, false, nameof(ServerVerdict.ServerMisbehaving))]
    [InlineData(DnsHeaderResponseCode.Refused, true, true, 0, 0, false, nameof(ServerVerdict.ServerMisbehaving))]
    [InlineData(DnsHeaderResponseCode.NotImplemented, true, true, 0, 0, false, nameof(ServerVerdict.ServerMisbehaving))]
    [InlineData(DnsHeaderResponseCode.FormatError, true, true, 0, 0, false, nameof(ServerVerdict.ServerMisbehaving))]
    public void Response_is_judged_as_go_judges_it(DnsHeaderResponseCode code, bool authoritative, bool recursion, int answers, int additional, bool hasType, string expected) =>
        Assert.Equal(Enum.Parse<ServerVerdict>(expected), GoServerRules.Judge(code, authoritative, recursion, answers, additional, hasType));

    [Fact]
    public void Rotation_is_a_counter_that_advances_by_one_per_query()
    {
        var first = ServerRotation.Next();
        var second = ServerRotation.Next();

        Assert.Equal(first + 1, second);
    }
}

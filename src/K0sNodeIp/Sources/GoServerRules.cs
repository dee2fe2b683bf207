using System.Net;
using DnsClient;

namespace K0sNodeIp.Sources;

/// <summary>
/// Go's <c>checkHeader</c> and <c>skipToAnswer</c> (net/dnsclient_unix.go) over one DnsClient response: which answers
/// end a query and which send it on to the next nameserver.
/// </summary>
internal static class GoServerRules
{
    public static ServerVerdict Judge(IDnsQueryResponse response, string fqdn, QueryType type, out IReadOnlyList<IPAddress> addresses)
    {
        addresses = [];
        var header = response.Header;
        var answers = response.Answers;
        return Judge(header.ResponseCode, header.HasAuthorityAnswer, header.RecursionAvailable, answers.Count, header.AdditionalCount,
            answers.Any(r => (int)r.RecordType == (int)type))
            switch
            {
                ServerVerdict.Answered => Answered(DnsHostQuery.AnswersFor(fqdn, answers, type), out addresses),
                var verdict => verdict,
            };
    }

    /// <param name="hasRecordOfType">An answer record of the asked type, whoever owns it (skipToAnswer checks the type only).</param>
    public static ServerVerdict Judge(DnsHeaderResponseCode code, bool authoritative, bool recursionAvailable, int answerCount, int additionalCount, bool hasRecordOfType)
    {
        if (code == DnsHeaderResponseCode.NotExistentDomain)
        {
            return ServerVerdict.NoSuchHost;
        }

        // libresolv moves on after an invalid referral (golang.org/issue/15434), and so does Go.
        if (code == DnsHeaderResponseCode.NoError && !authoritative && !recursionAvailable && answerCount == 0 && additionalCount == 0)
        {
            return ServerVerdict.LameReferral;
        }

        if (code != DnsHeaderResponseCode.NoError)
        {
            return ServerVerdict.ServerMisbehaving;
        }

        return hasRecordOfType ? ServerVerdict.Answered : ServerVerdict.NoRecords;
    }

    private static ServerVerdict Answered(IReadOnlyList<IPAddress> found, out IReadOnlyList<IPAddress> addresses)
    {
        addresses = found;
        return ServerVerdict.Answered;
    }
}

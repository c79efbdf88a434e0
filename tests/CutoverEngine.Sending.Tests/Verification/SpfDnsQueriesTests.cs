using System.Net;
using System.Net.Sockets;
using CutoverEngine.Sending.Verification;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Sending.Tests.Verification;

public sealed class SpfDnsQueriesTests
{
    [Fact]
    public async Task A_name_server_that_never_answers_makes_the_check_a_temperror_not_an_exception()
    {
        // Bound but never read: queries are swallowed without even an ICMP port-unreachable.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var queries = new DnsQueries(
            Options.Create(
                new VerificationOptions
                {
                    AuthoritativeServerOverride = silent.LocalEndPoint!.ToString(),
                    DnsTimeout = TimeSpan.FromMilliseconds(200),
                    DnsRetries = 0,
                }
            )
        );
        var r = await new SpfEvaluator(new SpfDnsQueries(queries, "spf.test")).CheckAsync(
            IPAddress.Parse("192.0.2.10"),
            "c01.spf.test",
            default
        );
        Assert.Equal(SpfVerdict.TempError, r.Result);
        Assert.Contains("c01.spf.test", r.Explanation);
    }
}

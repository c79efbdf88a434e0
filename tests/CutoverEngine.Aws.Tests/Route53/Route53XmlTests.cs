using System.Xml.Linq;
using CutoverEngine.Aws.Route53;

namespace CutoverEngine.Aws.Tests.Route53;

public sealed class Route53XmlTests
{
    private static readonly XNamespace Ns = Route53Xml.Ns;

    [Fact]
    public void Change_batch_is_written_in_model_order_in_the_route53_namespace()
    {
        var body = Route53Xml.WriteChangeBatch(
            new ChangeBatch(
                [RecordSetChange.Upsert(ResourceRecordSet.A("mta1.acme.example", 60, "192.0.2.1", "192.0.2.2"))],
                "cutover acme"
            )
        );

        var root = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body)).Root!;
        Assert.Equal(Ns + "ChangeResourceRecordSetsRequest", root.Name);
        var batch = root.Element(Ns + "ChangeBatch")!;
        Assert.Equal(["Comment", "Changes"], batch.Elements().Select(e => e.Name.LocalName));
        var change = batch.Element(Ns + "Changes")!.Element(Ns + "Change")!;
        Assert.Equal("UPSERT", change.Element(Ns + "Action")!.Value);
        var set = change.Element(Ns + "ResourceRecordSet")!;
        Assert.Equal(["Name", "Type", "TTL", "ResourceRecords"], set.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["192.0.2.1", "192.0.2.2"], set.Descendants(Ns + "Value").Select(v => v.Value));
    }

    [Fact]
    public void Change_info_is_read_without_the_change_prefix()
    {
        var info = Route53Xml.ReadChangeInfo(
            XDocument.Parse(
                $"<GetChangeResponse xmlns=\"{Ns.NamespaceName}\"><ChangeInfo><Id>/change/C2682N5HXP0BZ4</Id><Status>INSYNC</Status>"
                    + "<SubmittedAt>2026-11-26T19:00:01.123Z</SubmittedAt><Comment>x</Comment></ChangeInfo></GetChangeResponse>"
            )
        );

        Assert.Equal("C2682N5HXP0BZ4", info.Id);
        Assert.Equal(ChangeStatus.InSync, info.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 19, 0, 1, 123, TimeSpan.Zero), info.SubmittedAt);
    }

    [Fact]
    public void Error_response_yields_code_message_status_and_request_id()
    {
        var ex = Route53Xml.ReadError(
            AwsOperations.GetChange,
            "1",
            404,
            $"<ErrorResponse xmlns=\"{Ns.NamespaceName}\"><Error><Type>Sender</Type><Code>NoSuchChange</Code><Message>gone</Message></Error>"
                + "<RequestId>req-1</RequestId></ErrorResponse>",
            "req-header"
        );

        Assert.Equal("NoSuchChange", ex.ErrorCode);
        Assert.Equal("gone", ex.ErrorMessage);
        Assert.Equal(404, ex.HttpStatus);
        Assert.Equal("req-1", ex.RequestId);
        Assert.Contains("NoSuchChange", ex.Message);
        Assert.Contains("req-1", ex.Message);
    }

    [Fact]
    public void Empty_server_error_still_counts_as_a_server_error()
    {
        var ex = Route53Xml.ReadError(AwsOperations.GetChange, "1", 503, "", "req-h");

        Assert.Equal(503, ex.HttpStatus);
        Assert.Equal("req-h", ex.RequestId);
        Assert.True(CutoverEngine.Aws.Resilience.AwsFaultClassifier.IsRetryable(ex));
    }

    [Fact]
    public void Batch_beyond_route53_limits_is_refused_before_sending()
    {
        var values = Enumerable.Range(0, 501).Select(i => $"192.0.{i / 250}.{i % 250}").ToArray();
        var batch = new ChangeBatch([RecordSetChange.Upsert(ResourceRecordSet.A("big.acme.example", 60, values))]);

        var ex = Assert.Throws<ArgumentException>(batch.EnsureWithinLimits);

        Assert.Contains("1002 ResourceRecord elements", ex.Message);
    }

    [Theory]
    [InlineData("MTA1.Acme.Example", "mta1.acme.example.")]
    [InlineData("mta1.acme.example.", "mta1.acme.example.")]
    [InlineData("\\052.acme.example.", "*.acme.example.")]
    public void Names_compare_as_route53_returns_them(string name, string normalized) =>
        Assert.Equal(normalized, DnsNames.Normalize(name));
}

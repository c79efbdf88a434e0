using System.Net;
using System.Text;
using CutoverEngine.Sandbox.Dns;

namespace CutoverEngine.Sandbox.Tests.Dns;

public sealed class DnsWireCodecTests
{
    static byte[] Header(ushort qd, ushort an = 0, ushort ns = 0, ushort ar = 0) =>
        [0x12, 0x34, 0x81, 0x00, 0, (byte)qd, 0, (byte)an, 0, (byte)ns, 0, (byte)ar];

    static DnsMessage FullResponse()
    {
        var m = new DnsMessage
        {
            Id = 0xBEEF,
            IsResponse = true,
            IsAuthoritative = true,
            RecursionDesired = true,
            CheckingDisabled = true,
            ResponseCode = DnsResponseCode.NameError,
            Edns = new DnsEdns(1232, 0, DnssecOk: true),
        };
        m.Questions.Add(new DnsQuestion("Mail.Example.com.", DnsRecordType.ANY));
        m.Answers.Add(
            new DnsResourceRecord(
                "mail.example.com.",
                DnsRecordType.A,
                DnsClass.IN,
                60,
                new DnsAddressData(IPAddress.Parse("192.0.2.1"))
            )
        );
        m.Answers.Add(
            new DnsResourceRecord(
                "mail.example.com.",
                DnsRecordType.AAAA,
                DnsClass.IN,
                60,
                new DnsAddressData(IPAddress.Parse("2001:db8::1"))
            )
        );
        m.Answers.Add(
            new DnsResourceRecord(
                "example.com.",
                DnsRecordType.MX,
                DnsClass.IN,
                3600,
                new DnsMxData(10, "mail.example.com.")
            )
        );
        m.Answers.Add(
            new DnsResourceRecord(
                "example.com.",
                DnsRecordType.NS,
                DnsClass.IN,
                172800,
                new DnsNameData("ns1.example.net.")
            )
        );
        m.Answers.Add(
            new DnsResourceRecord(
                "www.example.com.",
                DnsRecordType.CNAME,
                DnsClass.IN,
                300,
                new DnsNameData("mail.example.com.")
            )
        );
        m.Answers.Add(
            new DnsResourceRecord(
                "1.2.0.192.in-addr.arpa.",
                DnsRecordType.PTR,
                DnsClass.IN,
                300,
                new DnsNameData("mail.example.com.")
            )
        );
        m.Answers.Add(
            new DnsResourceRecord(
                "example.com.",
                DnsRecordType.TXT,
                DnsClass.IN,
                300,
                new DnsTextData([Encoding.ASCII.GetBytes("v=spf1 -all"), Encoding.ASCII.GetBytes("say \"hi\""), []])
            )
        );
        m.Answers.Add(
            new DnsResourceRecord(
                "_sip._tcp.example.com.",
                DnsRecordType.SRV,
                DnsClass.IN,
                300,
                new DnsSrvData(1, 2, 5060, "sip.example.com.")
            )
        );
        m.Answers.Add(
            new DnsResourceRecord("odd\\.label.example.com.", 65280, DnsClass.IN, 1, new DnsRawData([1, 2, 3]))
        );
        m.Authorities.Add(
            new DnsResourceRecord(
                "example.com.",
                DnsRecordType.SOA,
                DnsClass.IN,
                900,
                new DnsSoaData("ns1.example.net.", "hostmaster.example.com.", 2026112601, 7200, 900, 1209600, 86400)
            )
        );
        return m;
    }

    [Fact]
    public void Every_record_type_survives_a_round_trip()
    {
        var original = FullResponse();

        var parsed = DnsMessage.Parse(original.Encode());

        Assert.Equal(original.Id, parsed.Id);
        Assert.True(parsed.IsResponse && parsed.IsAuthoritative && parsed.RecursionDesired && parsed.CheckingDisabled);
        Assert.False(parsed.IsTruncated || parsed.RecursionAvailable || parsed.AuthenticData);
        Assert.Equal(DnsResponseCode.NameError, parsed.ResponseCode);
        Assert.Equal(original.Questions, parsed.Questions);
        Assert.Equal(original.Answers.Select(r => r.ToString()), parsed.Answers.Select(r => r.ToString()));
        Assert.Equal(original.Answers, parsed.Answers);
        Assert.Equal(original.Authorities, parsed.Authorities);
        Assert.Empty(parsed.Additionals);
        Assert.NotNull(parsed.Edns);
        Assert.Equal((1232, 0, true), (parsed.Edns.UdpPayloadSize, parsed.Edns.Version, parsed.Edns.DnssecOk));
        Assert.Empty(parsed.Edns.Options);
    }

    [Fact]
    public void An_extended_response_code_travels_in_the_opt_record()
    {
        var m = new DnsMessage
        {
            Id = 1,
            IsResponse = true,
            ResponseCode = DnsResponseCode.BadVersion,
            Edns = new DnsEdns(1232),
        };

        var wire = m.Encode();

        Assert.Equal(0, wire[3] & 0xF); // 16 = 1 << 4: nothing left for the header's four bits
        Assert.Equal(DnsResponseCode.BadVersion, DnsMessage.Parse(wire).ResponseCode);
        Assert.Throws<DnsFormatException>(() => new DnsMessage { ResponseCode = DnsResponseCode.BadVersion }.Encode());
    }

    [Fact]
    public void Repeated_names_and_suffixes_are_written_as_pointers()
    {
        var m = new DnsMessage { Id = 1 };
        m.Questions.Add(new DnsQuestion("example.com.", DnsRecordType.MX));
        m.Answers.Add(
            new DnsResourceRecord(
                "example.com.",
                DnsRecordType.MX,
                DnsClass.IN,
                1,
                new DnsMxData(10, "mx.example.com.")
            )
        );

        var wire = m.Encode();

        // Question name at 12 is 13 octets; type/class take 4, so the answer owner sits at 29: a pointer to 12.
        Assert.Equal([0xC0, 12], wire[29..31]);
        // RDATA (after owner 2 + type/class/ttl 8 + rdlength 2 = offset 41): preference, then "mx" and a pointer to 12.
        Assert.Equal([0, 10, 2, (byte)'m', (byte)'x', 0xC0, 12], wire[41..48]);
        Assert.Equal(48, wire.Length);
        Assert.Equal("mx.example.com.", ((DnsMxData)DnsMessage.Parse(wire).Answers[0].Data).Exchange);
    }

    [Fact]
    public void Compression_matches_case_exactly_so_names_read_back_as_written()
    {
        var m = new DnsMessage { Id = 1 };
        m.Questions.Add(new DnsQuestion("WWW.Example.COM.", DnsRecordType.A));
        m.Answers.Add(
            new DnsResourceRecord(
                "www.example.com.",
                DnsRecordType.A,
                DnsClass.IN,
                1,
                new DnsAddressData(IPAddress.Loopback)
            )
        );

        var parsed = DnsMessage.Parse(m.Encode());

        Assert.Equal("WWW.Example.COM.", parsed.Questions[0].Name);
        Assert.Equal("www.example.com.", parsed.Answers[0].Name);
    }

    [Fact]
    public void Srv_targets_are_never_compressed()
    {
        var m = new DnsMessage { Id = 1 };
        m.Questions.Add(new DnsQuestion("sip.example.com.", DnsRecordType.SRV));
        m.Answers.Add(
            new DnsResourceRecord(
                "sip.example.com.",
                DnsRecordType.SRV,
                DnsClass.IN,
                1,
                new DnsSrvData(0, 0, 5060, "sip.example.com.")
            )
        );

        var wire = m.Encode();

        // Owner pointer (2) + 10 fixed octets + 6 of priority/weight/port, then the target in full (17 octets).
        Assert.Equal(12 + 17 + 4 + 2 + 10 + 6 + 17, wire.Length);
    }

    [Fact]
    public void Escaped_dots_and_odd_octets_in_labels_round_trip()
    {
        var w = new DnsWireWriter();
        w.WriteName("a\\.b.\\000x\\\\.example.");
        var r = new DnsWireReader(w.ToArray());

        Assert.Equal("a\\.b.\\000x\\\\.example.", r.ReadName());
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void The_root_name_is_a_single_zero_octet()
    {
        var w = new DnsWireWriter();
        w.WriteName(".");

        Assert.Equal([0], w.ToArray());
        Assert.Equal(".", new DnsWireReader([0]).ReadName());
    }

    [Fact]
    public void A_pointer_to_itself_is_rejected()
    {
        byte[] wire = [.. Header(1), 0xC0, 12, 0, 1, 0, 1];

        var ex = Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(wire));

        Assert.Contains("offset 12", ex.Message);
    }

    [Fact]
    public void Two_pointers_leading_to_each_other_are_rejected()
    {
        // Name 1 at 12: label "a" then a pointer to 18 (forward). Name 2 at 18: pointer back to 12.
        byte[] wire = [.. Header(2), 1, (byte)'a', 0xC0, 18, 0, 1, 0xC0, 12, 0, 1, 0, 1];

        Assert.Contains(
            "forward pointer or loop",
            Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(wire)).Message
        );
    }

    [Fact]
    public void A_pointer_back_into_the_name_it_continues_is_rejected()
    {
        // At 12: "a" "b" then a pointer to 14 ("b" again): backwards, yet a loop.
        byte[] wire = [.. Header(1), 1, (byte)'a', 1, (byte)'b', 0xC0, 14, 0, 1, 0, 1];

        // Caught by the pointer rule itself, not merely by the 255-octet limit a loop would eventually hit.
        Assert.Contains(
            "forward pointer or loop",
            Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(wire)).Message
        );
    }

    [Fact]
    public void A_chain_of_pointers_each_leading_further_back_is_read()
    {
        // 12: "com" 0. 17: "example" + ptr 12. 27: "www" + ptr 17.
        byte[] names = [3, (byte)'c', (byte)'o', (byte)'m', 0, 7, .. "example"u8, 0xC0, 12, 3, .. "www"u8, 0xC0, 17];
        byte[] wire = [.. Header(0), .. names];
        var r = new DnsWireReader(wire);
        r.ReadBytes(27);

        Assert.Equal("www.example.com.", r.ReadName());
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void Reserved_label_types_are_rejected()
    {
        byte[] wire = [.. Header(1), 0x41, 0, 0, 1, 0, 1];

        Assert.Contains("label type", Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(wire)).Message);
    }

    [Fact]
    public void Names_over_255_octets_are_rejected_on_both_sides()
    {
        var label = new string('a', 63);
        var tooLong = string.Join('.', Enumerable.Repeat(label, 4)) + "."; // 4 * 64 + 1 = 257 octets

        Assert.Throws<DnsFormatException>(() => new DnsWireWriter().WriteName(tooLong));
        var wire = new List<byte>(Header(1));
        for (int i = 0; i < 4; i++)
        {
            wire.Add(63);
            wire.AddRange(Encoding.ASCII.GetBytes(label));
        }
        wire.AddRange([0, 0, 1, 0, 1]);
        Assert.Contains(
            "longer than 255",
            Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(wire.ToArray())).Message
        );
    }

    [Theory]
    [InlineData("a..example.")]
    [InlineData("..")]
    [InlineData("bad\\")]
    [InlineData("caf\u00e9.example.")]
    public void Names_that_cannot_be_written_are_rejected(string name)
    {
        Assert.Throws<DnsFormatException>(() => new DnsWireWriter().WriteName(name));
    }

    [Fact]
    public void A_label_over_63_octets_is_rejected()
    {
        Assert.Contains(
            "over the limit of 63",
            Assert
                .Throws<DnsFormatException>(() => new DnsWireWriter().WriteName(new string('a', 64) + ".example."))
                .Message
        );
    }

    [Fact]
    public void Truncated_messages_are_rejected_with_the_offset()
    {
        var wire = FullResponse().Encode();

        for (int length = 0; length < wire.Length; length += 7)
            Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(wire.AsSpan(0, length)));
    }

    [Fact]
    public void Octets_after_the_last_record_are_rejected()
    {
        byte[] wire = [.. FullResponse().Encode(), 0];

        Assert.Contains(
            "follow the last record",
            Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(wire)).Message
        );
    }

    [Fact]
    public void An_rdlength_that_disagrees_with_the_rdata_is_rejected()
    {
        // An MX whose RDLENGTH says 4 while its preference and root exchange take 3.
        byte[] wire = [.. Header(0, an: 1), 0, 0, 15, 0, 1, 0, 0, 0, 1, 0, 4, 0, 10, 0, 0];

        Assert.Contains("declares 4 octets", Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(wire)).Message);
    }

    [Fact]
    public void A_second_opt_record_or_one_outside_the_additional_section_is_rejected()
    {
        byte[] opt = [0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0];

        Assert.Contains(
            "second OPT",
            Assert.Throws<DnsFormatException>(() => DnsMessage.Parse([.. Header(0, ar: 2), .. opt, .. opt])).Message
        );
        Assert.Contains(
            "answer section",
            Assert.Throws<DnsFormatException>(() => DnsMessage.Parse([.. Header(0, an: 1), .. opt])).Message
        );
    }

    [Fact]
    public void Edns_options_are_read()
    {
        // OPT with a COOKIE option (code 10, 8 octets), as dig sends.
        byte[] wire = [.. Header(0, ar: 1), 0, 0, 41, 16, 0, 0, 0, 0x80, 0, 0, 12, 0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8];

        var edns = DnsMessage.Parse(wire).Edns!;

        Assert.Equal(4096, edns.UdpPayloadSize);
        Assert.True(edns.DnssecOk);
        var (code, data) = Assert.Single(edns.Options);
        Assert.Equal(10, code);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], data);
    }
}

namespace CutoverEngine.Sandbox.Dns;

public sealed record DnsSoaData(
    string PrimaryNameServer,
    string ResponsibleMailbox,
    uint Serial,
    uint Refresh,
    uint Retry,
    uint Expire,
    uint Minimum
) : DnsRecordData
{
    internal override void Write(DnsWireWriter w)
    {
        w.WriteName(PrimaryNameServer);
        w.WriteName(ResponsibleMailbox);
        w.WriteUInt32(Serial);
        w.WriteUInt32(Refresh);
        w.WriteUInt32(Retry);
        w.WriteUInt32(Expire);
        w.WriteUInt32(Minimum);
    }

    public override string ToString() =>
        $"{PrimaryNameServer} {ResponsibleMailbox} {Serial} {Refresh} {Retry} {Expire} {Minimum}";
}

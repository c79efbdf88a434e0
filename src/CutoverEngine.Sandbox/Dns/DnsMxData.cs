namespace CutoverEngine.Sandbox.Dns;

public sealed record DnsMxData(ushort Preference, string Exchange) : DnsRecordData
{
    internal override void Write(DnsWireWriter w)
    {
        w.WriteUInt16(Preference);
        w.WriteName(Exchange);
    }

    public override string ToString() => $"{Preference} {Exchange}";
}

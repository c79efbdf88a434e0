namespace CutoverEngine.Sandbox.Dns;

public sealed record DnsQuestion(string Name, ushort Type, ushort Class = DnsClass.IN)
{
    public override string ToString() => $"{Name} {DnsRecordType.ToMnemonic(Type)}";
}

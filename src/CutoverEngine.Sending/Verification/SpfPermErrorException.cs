namespace CutoverEngine.Sending.Verification;

/// <summary>The policy cannot be interpreted (syntax, a limit exceeded, an include without a record).</summary>
public sealed class SpfPermErrorException(string message) : Exception(message);

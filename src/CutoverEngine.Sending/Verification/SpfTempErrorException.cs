namespace CutoverEngine.Sending.Verification;

/// <summary>A DNS query failed (server failure or timeout); asking later may give an answer.</summary>
public sealed class SpfTempErrorException(string message) : Exception(message);

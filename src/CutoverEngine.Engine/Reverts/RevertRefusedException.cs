namespace CutoverEngine.Engine.Reverts;

/// <summary>A revert that may not start, with the reason in the message; nothing was changed or journaled.</summary>
public sealed class RevertRefusedException(string message) : Exception(message);

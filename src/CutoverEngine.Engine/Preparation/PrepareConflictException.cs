namespace CutoverEngine.Engine.Preparation;

/// <summary>A record changed between prepare reading it and writing it (Route 53 refused the DELETE of the value it
/// read): nothing was written, and the step reads it again on its next attempt.</summary>
public sealed class PrepareConflictException(string message, Exception inner) : Exception(message, inner);

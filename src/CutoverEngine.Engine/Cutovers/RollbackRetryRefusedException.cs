namespace CutoverEngine.Engine.Cutovers;

/// <summary>A retry that may not be asked (nothing is stuck, or a retry is already asked); nothing was changed or
/// journaled.</summary>
public sealed class RollbackRetryRefusedException(string message) : Exception(message);

namespace CutoverEngine.Engine.Waves;

/// <summary>What a notice tells the customer about its window.</summary>
public enum NoticeKind
{
    /// <summary>The window, first or revised (its invitation's SEQUENCE says which).</summary>
    Window,

    /// <summary>The window is near (Waves:Notice:Reminder:Lead before it); nothing changed.</summary>
    Reminder,

    /// <summary>The window is off.</summary>
    Cancellation,
}

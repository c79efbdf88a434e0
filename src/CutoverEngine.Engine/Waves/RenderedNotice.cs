using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;

namespace CutoverEngine.Engine.Waves;

/// <summary>One environment's notice: to whom, subject and text (with its window).</summary>
public sealed record RenderedNotice(
    EnvironmentWindow Window,
    IReadOnlyList<NoticeContact> Recipients,
    string Subject,
    string Body
)
{
    public CutoverEnvironment Environment => Window.Environment;

    /// <summary>The file form: addressee and subject lines, blank line, body.</summary>
    public string Text => $"To: {string.Join(", ", Recipients)}\nSubject: {Subject}\n\n{Body}";
}

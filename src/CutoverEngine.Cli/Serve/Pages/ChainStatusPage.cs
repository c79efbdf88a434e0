using System.Globalization;
using System.Text;
using CutoverEngine.Engine.Audit;
using static CutoverEngine.Cli.Serve.Pages.PageLayout;

namespace CutoverEngine.Cli.Serve.Pages;

/// <summary>
/// GET /audit: the journal's hash chain recomputed now (what <c>cutover audit verify</c> does): verified with the
/// number of entries checked, or broken with the first bad entry and why.
/// </summary>
public static class ChainStatusPage
{
    public const string Verified = "verified";
    public const string Broken = "broken";
    public const string Unavailable = "unavailable";

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(JournalVerification result, PageViewer viewer)
    {
        var html = new StringBuilder("<h1>Journal chain</h1>\n");
        var status = result.IsIntact ? Verified : Broken;
        html.Append("<p id=\"chain-status\" class=\"status ").Append(status).Append("\" data-status=\"").Append(status)
            .Append("\" data-entries=\"").Append(result.EntriesChecked.ToString(Inv)).Append("\">").Append(status).Append("</p>\n<dl class=\"facts\">")
            .Append("<dt>Entries checked</dt><dd id=\"entries-checked\">").Append(result.EntriesChecked.ToString(Inv)).Append("</dd>");
        if (result.FirstBreak is { } broken)
        {
            html.Append("<dt>First bad entry</dt><dd id=\"first-bad-entry\" data-sequence=\"").Append(broken.Sequence.ToString(Inv)).Append("\">#")
                .Append(broken.Sequence.ToString(Inv)).Append(" (").Append(E(broken.Event)).Append(", ");
            html.Append(broken.Environment is null ? "no environment" : Link(PathTo(AuditorPages.EnvironmentsPath, broken.Environment), broken.Environment));
            html.Append(", ").Append(E(broken.At)).Append(")</dd><dt>Why</dt><dd>").Append(E(broken.Reason)).Append("</dd>")
                .Append("<dt>Intact</dt><dd>").Append(result.LastSequence == 0 ? "no entry before it" : $"entries #1 to #{result.LastSequence.ToString(Inv)}").Append("</dd>")
                .Append("<dt>Last intact hash</dt><dd class=\"mono\">").Append(E(result.LastHash)).Append("</dd>");
        }
        else
        {
            html.Append("<dt>Intact</dt><dd>").Append(result.EntriesChecked == 0 ? "the journal is empty" : $"entries #1 to #{result.LastSequence.ToString(Inv)}").Append("</dd>")
                .Append("<dt>Last hash</dt><dd class=\"mono\" id=\"last-hash\">").Append(E(result.LastHash)).Append("</dd>");
        }
        html.Append("<dt>Payloads pruned</dt><dd>").Append(result.PrunedPayloads.ToString(Inv)).Append(" (removed by retention; their hashes still take part in the chain)</dd></dl>\n");
        html.Append("<p class=\"meta\">The chain proves no entry was changed, inserted or removed before the last one. ")
            .Append("To detect the newest entries being removed or a rewritten tail, compare the last hash with a copy kept elsewhere.</p>\n");
        return Page("Journal chain", viewer, html.ToString());
    }

    /// <summary>The journal cannot be read at all (no file, no table, SQLite refuses it).</summary>
    public static string RenderUnavailable(string problem, PageViewer viewer) => Page("Journal chain", viewer,
        $"<h1>Journal chain</h1>\n<p id=\"chain-status\" class=\"status {Unavailable}\" data-status=\"{Unavailable}\">{Unavailable}</p>\n<p class=\"error\">{E(problem)}</p>\n");
}

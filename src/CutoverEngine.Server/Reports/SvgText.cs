using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace CutoverEngine.Server.Reports;

/// <summary>
/// An SVG <c>text</c> element. Razor reads a <c>&lt;text&gt;</c> tag inside a code block (an <c>@for</c> of a
/// chart) as its own "markup follows" marker, so the charts write their labels with this component instead.
/// </summary>
public sealed class SvgText : ComponentBase
{
    /// <summary>The element's attributes, in the order written.</summary>
    [Parameter(CaptureUnmatchedValues = true)]
    public IReadOnlyDictionary<string, object>? Attributes { get; set; }

    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "text");
        builder.AddMultipleAttributes(1, Attributes);
        builder.AddContent(2, ChildContent);
        builder.CloseElement();
    }
}
